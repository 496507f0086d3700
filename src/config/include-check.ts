/**
 * keepalived's include strictness (lib/parser.c): the bits an `include*`
 * keyword, `-e` and `global_defs include_check` set, and include_check_set().
 * Shared by the preprocessor, which applies the bits, and the global_defs
 * keyword table, which reports the words' errors and records them.
 */

/** A matched file must be readable (and not a directory or executable). */
export const INCLUDE_R = 1;
/** A pattern without wildcards must match. */
export const INCLUDE_M = 2;
/** A pattern with wildcards must match something. */
export const INCLUDE_W = 4;
/** Every `{a,b}` alternative must match. */
export const INCLUDE_B = 8;
export const INCLUDE_ALL = INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B;

const TYPES: ReadonlyMap<string, number> = new Map([
  ['read', INCLUDE_R],
  ['match', INCLUDE_M],
  ['wildcard_match', INCLUDE_W],
  ['brace_match', INCLUDE_B],
]);

export interface IncludeCheckSet {
  /** The new bits. */
  readonly bits: number;
  /** The words that took effect, as written (`read`, `+match`, …). */
  readonly accepted: readonly string[];
  /** keepalived's messages for the words it skipped. */
  readonly errors: readonly string[];
}

/**
 * keepalived: include_check_set() — `include_check [[+|-]TYPE …]` from `current`.
 * No word means every check; a first unsigned word resets to `read` plus its type;
 * a later unsigned word is a duplicate.
 */
export function includeCheckSet(current: number, words: readonly string[]): IncludeCheckSet {
  if (words.length === 0) return { bits: INCLUDE_ALL, accepted: [], errors: [] };
  let bits = current;
  const accepted: string[] = [];
  const errors: string[] = [];
  words.forEach((w, i) => {
    const sign = w[0] === '+' || w[0] === '-' ? w[0] : '';
    if (sign === '') {
      if (i > 0) {
        errors.push(`Duplicate include_check '${w}' specified - ignoring`);
        return;
      }
      bits = 0;
    }
    const type = w.slice(sign.length);
    const flag = TYPES.get(type);
    if (flag === undefined) {
      errors.push(`Unknown include_check type '${type}' - ignoring`);
      return;
    }
    accepted.push(w);
    if (sign === '') bits = INCLUDE_R | flag;
    else if (sign === '+') bits |= flag;
    else bits &= ~flag;
  });
  return { bits, accepted, errors };
}
