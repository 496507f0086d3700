import { describe, expect, it } from 'vitest';
import { strtoll } from './strtol.js';

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

// Every row was checked against glibc 2.36's strtoll(text, &end, base).
describe('strtoll (glibc semantics)', () => {
  it.each<[string, number, bigint, number, boolean]>([
    ['', 0, 0n, 0, false],
    ['0', 0, 0n, 1, false],
    ['077', 0, 63n, 3, false],
    ['0177', 0, 127n, 4, false],
    ['0x12', 0, 18n, 4, false],
    ['0X1f', 0, 31n, 4, false],
    ['0x', 0, 0n, 1, false],
    ['0xg', 0, 0n, 1, false],
    [' 18', 0, 18n, 3, false],
    ['\t-12', 0, -12n, 4, false],
    ['\v\f\r\n 5x', 0, 5n, 6, false],
    ['12\n', 0, 12n, 2, false],
    ['+7', 0, 7n, 2, false],
    ['-0', 0, 0n, 2, false],
    ['08', 0, 0n, 1, false],
    ['0128', 0, 10n, 3, false],
    ['12abc', 0, 12n, 2, false],
    ['abc', 0, 0n, 0, false],
    ['- 5', 0, 0n, 0, false],
    ['+', 0, 0n, 0, false],
    [' 0x1Fz', 0, 31n, 5, false],
    ['9223372036854775807', 0, MAX, 19, false],
    ['9223372036854775808', 0, MAX, 19, true],
    ['-9223372036854775808', 0, MIN, 20, false],
    ['-9223372036854775809', 0, MIN, 20, true],
    ['0x8000000000000000', 0, MAX, 18, true],
    ['99999999999999999999999', 0, MAX, 23, true],
    ['0x1f', 16, 31n, 4, false],
    ['1f', 16, 31n, 2, false],
    ['0xg', 16, 0n, 1, false],
    ['0x7', 8, 0n, 1, false],
    ['777', 8, 511n, 3, false],
    ['8', 8, 0n, 0, false],
    ['010', 10, 10n, 3, false],
    ['0x10', 10, 0n, 1, false],
    ['zz', 36, 1295n, 2, false],
  ])('strtoll(%j, base %i) = %s, end %i, ERANGE %s', (text, base, value, end, isOverflow) => {
    expect(strtoll(text, base)).toEqual({ value, end, isOverflow });
  });

  it('stops at a NUL, as a C string does', () => {
    expect(strtoll('12\u00003')).toEqual({ value: 12n, end: 2, isOverflow: false });
  });

  it.each([1, 37, -1, 2.5])('base %d is a programming error', (base) => {
    expect(() => strtoll('1', base)).toThrow(RangeError);
  });
});
