import { describe, expect, it } from 'vitest';
import type { Item } from './cst.js';
import type { LogicalLine } from './load.js';
import type { TokenType } from './lexer.js';
import { countParses, parseLines, tokenLoc, tokenize } from './parse.js';

const lines = (...texts: string[]): LogicalLine[] =>
  texts.map((text, i) => ({ text, loc: { file: 'k.conf', line: i + 1, col: 3 } }));

/** A compact picture of the tree: words joined, blocks as arrays, stray braces as '}!', open blocks end in '…'. */
function shape(items: readonly Item[]): unknown[] {
  return items.map((it) => {
    switch (it.kind) {
      case 'line':
        return it.words.map((w) => w.value).join(' ');
      case 'block':
        return it.close ? shape(it.items) : [...shape(it.items), '…'];
      case 'stray':
        return '}!';
    }
  });
}

describe('grammar: the shape of a config', () => {
  it.each<[string, string[], unknown[]]>([
    ['statements', ['a b', 'c'], ['a b', 'c']],
    ['a block', ['a', '{', 'b', '}'], ['a', ['b']]],
    ['nested blocks', ['a', '{', 'b', '{', 'c', '}', '}'], ['a', [['b', ['c']]].flat()]],
    ['a stray } at top level', ['a', '}', 'b'], ['a', '}!', 'b']],
    ['blocks left open at the end', ['a', '{', 'b', '{', 'c'], ['a', ['b', ['c', '…'], '…']]],
    ['quoted words', ['router_id "a b" c'], ['router_id a b c']],
    ['an empty block', ['x', '{', '}'], ['x', []]],
  ])('%s', (_name, texts, want) => {
    expect(shape(parseLines(lines(...texts)).items)).toEqual(want);
  });

  it.each<[string, TokenType[]]>([
    ['line', ['word', 'eol']],
    ['block', ['lbrace', 'eol', 'word', 'qstring', 'eol', 'rbrace', 'eol']],
    ['stray', ['rbrace', 'eol']],
    ['open chain', ['lbrace', 'eol', 'lbrace', 'eol', 'word', 'eol']],
    ['closed inside open', ['lbrace', 'eol', 'lbrace', 'eol', 'rbrace', 'eol']],
  ])('exactly one parse: %s', (_name, types) => {
    expect(countParses(types)).toBe(1);
  });

  it('every token keeps file:line:col', () => {
    const ls = lines('global_defs', '{', 'router_id  "x y"', '}');
    const tokens = tokenize(ls, []);
    const rid = tokens.find((t) => t.value === 'x y');
    expect(rid && tokenLoc(ls, rid)).toEqual({ file: 'k.conf', line: 3, col: 3 + 11 });
    const items = parseLines(ls).items;
    const block = items[1];
    expect(block?.kind).toBe('block');
    if (block?.kind === 'block') expect(tokenLoc(ls, block.open).line).toBe(2);
  });

  it('reports an unmatched quote and keeps the words before it', () => {
    const r = parseLines(lines('notify "abc'));
    expect(shape(r.items)).toEqual(['notify']);
    expect(r.diagnostics.map((d) => [d.kaClass, d.loc?.line])).toEqual([['UNMATCHED_QUOTE', 1]]);
  });

  it('the shape cache gives the same tree as a fresh parse', () => {
    const a = parseLines(lines('vs 1', '{', 'x 1', '}', 'vs 2', '{', 'x 2', '}'));
    expect(shape(a.items)).toEqual(['vs 1', ['x 1'], 'vs 2', ['x 2']]);
  });
});
