/**
 * C's strtoll() (glibc, "C" locale) for the places where keepalived parses a
 * number with it and then looks at where it stopped (`*endptr`). Pure.
 */

const LLONG_MAX = 2n ** 63n - 1n;
const LLONG_MIN = -(2n ** 63n);

/** isspace() in the "C" locale. */
const SPACE = ' \t\n\v\f\r';

export interface StrtolResult {
  /** The converted value, clamped to LLONG_MIN..LLONG_MAX on overflow (as strtoll does). */
  readonly value: bigint;
  /** Index of the first character not converted: C's `endptr - nptr`; 0 when nothing was converted. */
  readonly end: number;
  /** strtoll() set errno to ERANGE. */
  readonly isOverflow: boolean;
}

function digitValue(c: string | undefined): number {
  if (c === undefined || c.length !== 1) return 99;
  const v = Number.parseInt(c, 36);
  return Number.isNaN(v) ? 99 : v;
}

/**
 * strtoll(text, &end, base): leading white space, an optional sign, then for
 * base 0 a `0x`/`0X` prefix (hex), a leading `0` (octal) or decimal; base 16
 * also accepts `0x`. "0x" with no hex digit after it converts the "0" and stops
 * at the "x". `text` is read as a C string: it ends at the first NUL.
 */
export function strtoll(text: string, base = 0): StrtolResult {
  if (base !== 0 && (!Number.isInteger(base) || base < 2 || base > 36)) throw new RangeError(`strtoll: invalid base ${base}`);
  const nul = text.indexOf('\0');
  const s = nul >= 0 ? text.slice(0, nul) : text;
  let i = 0;
  while (i < s.length && SPACE.includes(s[i] ?? '')) i++;
  let isNegative = false;
  if (s[i] === '+' || s[i] === '-') isNegative = s[i++] === '-';
  let radix = base;
  const hasHexPrefix = s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) < 16;
  if ((radix === 0 || radix === 16) && hasHexPrefix) {
    radix = 16;
    i += 2;
  } else if (radix === 0) radix = s[i] === '0' ? 8 : 10;
  const start = i;
  const big = BigInt(radix);
  let value = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s[i]);
    if (d >= radix) break;
    value = value * big + BigInt(d);
  }
  if (i === start) return { value: 0n, end: 0, isOverflow: false };
  if (isNegative) value = -value;
  if (value > LLONG_MAX) return { value: LLONG_MAX, end: i, isOverflow: true };
  if (value < LLONG_MIN) return { value: LLONG_MIN, end: i, isOverflow: true };
  return { value, end: i, isOverflow: false };
}
