import { describe, expect, it } from 'vitest';
import { INCLUDE_ALL, INCLUDE_B, INCLUDE_M, INCLUDE_R, INCLUDE_W, includeCheckSet } from './include-check.js';

// keepalived 2.2.7 lib/parser.c include_check_set(); the strict cases were checked with -t (exit 6).
describe('includeCheckSet', () => {
  it.each<[string, number, string[], number, string[]]>([
    ['no word: every check', 0, [], INCLUDE_ALL, []],
    ['an unsigned first word resets to read + it', INCLUDE_ALL, ['match'], INCLUDE_R | INCLUDE_M, []],
    ['+ adds, - removes', INCLUDE_ALL, ['-match', '-read'], INCLUDE_W | INCLUDE_B, []],
    ['an unknown first word still resets', INCLUDE_ALL, ['bogus'], 0, ["Unknown include_check type 'bogus' - ignoring"]],
    [
      'a later unsigned word is a duplicate',
      0,
      ['match', 'foo', '+wildcard_match'],
      INCLUDE_R | INCLUDE_M | INCLUDE_W,
      ["Duplicate include_check 'foo' specified - ignoring"],
    ],
  ])('%s', (_what, current, words, bits, errors) => {
    const r = includeCheckSet(current, words);
    expect(r.bits).toBe(bits);
    expect(r.errors).toEqual(errors);
  });
});
