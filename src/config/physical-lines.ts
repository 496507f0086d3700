/**
 * Reading a config file the way keepalived does (lib/parser.c read_line()):
 * fgets() into a 1024-byte buffer, then decomment().
 *
 * The reader walks the file text with a cursor and hands out [start, end)
 * ranges, so a plain line costs one string (the trimmed slice) and no objects.
 */

// keepalived's fgets buffer (MAXBUF 1024): longer lines are read in pieces.
export const MAXBUF = 1024;

/** The characters decomment() acts on. */
const SPECIALS = ['!', '"', '#', '\\'];

/** `nextOdd()`/`nextBrace()` when there is none left (a Smi, so the fields keep one representation). */
export const NONE = 0x3fff_ffff;

/**
 * The characters that take a line off the preprocessor's fast path: what
 * decomment() acts on and `$` (definitions and substitutions).
 */
const ODD = ['!', '"', '#', '\\', '$'];

/** A file's text and fgets()'s position in it. */
export class FgetsReader {
  /**
   * Next unread character. The preprocessor's fast path reads plain lines
   * itself and moves `cursor` and `newlines` the way `next()` would.
   */
  cursor = 0;
  /** Newlines read so far. */
  newlines = 0;
  /** The piece the last `next()` returned: [start, end), without its '\n'. */
  start = 0;
  end = 0;
  /** Its line number (keepalived counts a line when its '\n' is read). */
  line = 0;

  // Where the next of each SPECIALS character is (Infinity: none left). Found
  // with indexOf as the reader passes them: a JS loop over every character of a
  // 100k-line file cost more than the rest of the line handling.
  private readonly nextAt = SPECIALS.map(() => -1);

  // The fast path's look-ahead, like nextAt: where the next ODD character,
  // `{` and `}` are. Kept per file so each is searched for once over the text.
  private readonly oddAt = ODD.map(() => -1);
  private oddMin = -1;
  private openAt = -1;
  private closeAt = -1;

  constructor(readonly text: string) {}

  /** Where the first of `!`, `"`, `#`, `\\`, `$` at or after `from` is (NONE: none). Calls must move forward. */
  nextOdd(from: number): number {
    return this.oddMin >= from ? this.oddMin : this.findOdd(from);
  }

  // Apart from nextOdd() so the fast path's optimized code holds only the check.
  private findOdd(from: number): number {
    const oddAt = this.oddAt;
    let min = NONE;
    for (let k = 0; k < ODD.length; k++) {
      let at = oddAt[k] as number;
      if (at < from) {
        const i = this.text.indexOf(ODD[k] as string, from);
        at = i < 0 ? NONE : i;
        oddAt[k] = at;
      }
      if (at < min) min = at;
    }
    this.oddMin = min;
    return min;
  }

  /** Where the first `{` or `}` at or after `from` is (NONE: none). Calls must move forward. */
  nextBrace(from: number): number {
    let open = this.openAt;
    if (open < from) {
      open = this.text.indexOf('{', from);
      if (open < 0) open = NONE;
      this.openAt = open;
    }
    let close = this.closeAt;
    if (close < from) {
      close = this.text.indexOf('}', from);
      if (close < 0) close = NONE;
      this.closeAt = close;
    }
    return open < close ? open : close;
  }

  /**
   * Does [from, to) hold a character decomment() acts on (`!`, `"`, `#`, `\\`)?
   * Calls must move forward through the text.
   */
  hasSpecial(from: number, to: number): boolean {
    const nextAt = this.nextAt;
    for (let k = 0; k < SPECIALS.length; k++) {
      let at = nextAt[k] as number;
      if (at < from) {
        const i = this.text.indexOf(SPECIALS[k] as string, from);
        at = i < 0 ? Number.POSITIVE_INFINITY : i;
        nextAt[k] = at;
      }
      if (at < to) return true;
    }
    return false;
  }

  /** Has anything been read yet (the file is "open" in keepalived's include stack)? */
  get started(): boolean {
    return this.cursor > 0;
  }

  /** fgets(buf, MAXBUF): the next piece of at most MAXBUF-1 bytes including its '\n'; false at EOF. */
  next(): boolean {
    const s = this.text;
    const n = s.length;
    const start = this.cursor;
    if (start >= n) return false;
    let nl = s.indexOf('\n', start);
    if (nl === -1) nl = n;
    const end = nl < n ? nl + 1 : n;
    this.start = start;
    if (end - start > MAXBUF - 1) {
      // A long line comes in pieces; all but the last carry the previous line's number.
      this.end = start + MAXBUF - 1;
      this.cursor = this.end;
      this.line = this.newlines;
      return true;
    }
    if (nl < n) this.newlines++;
    this.end = nl;
    this.cursor = end;
    this.line = this.newlines;
    return true;
  }
}

/** Split file bytes the way fgets(buf, 1024) does; line numbers advance only on '\n'. */
export function physicalLines(bytes: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const r = new FgetsReader(bytes);
  while (r.next()) out.push({ text: bytes.slice(r.start, r.end), line: r.line });
  return out;
}

const isSpecial = (c: number): boolean => c === 33 || c === 34 || c === 35 || c === 92; // ! " # \

/**
 * decomment()'s common case: `s[from, to)` (leading blanks already skipped)
 * holds no `!`, `"`, `#` or `\`, so the result is just the range without its
 * trailing blanks. Undefined when the full decomment() is needed.
 */
function plainText(s: string, from: number, to: number): string | undefined {
  for (let k = from; k < to; k++) if (isSpecial(s.charCodeAt(k))) return undefined;
  let len = to;
  while (len > from && (s.charCodeAt(len - 1) === 32 || s.charCodeAt(len - 1) === 9)) len--;
  return s.slice(from, len);
}

/** Strips `\r\n`, leading blanks, comments; reports an unterminated quote. keepalived: decomment(). */
export function decomment(raw: string): { text: string; unterminatedQuote: boolean } {
  let s = raw;
  let len = s.length;
  while (len > 0 && (s.charCodeAt(len - 1) === 10 || s.charCodeAt(len - 1) === 13)) len--;
  let i = 0;
  while (i < len && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  const plain = plainText(s, i, len);
  if (plain !== undefined) return { text: plain, unterminatedQuote: false };
  s = s.slice(i, len);
  let quote = false;
  let cont = false;
  let skip = -1;
  let out = '';
  for (let p = 0; p < s.length; p++) {
    const c = s[p];
    if (c === '"') {
      if (skip < 0) quote = !quote;
      out += c;
      continue;
    }
    if (c === '\\') {
      if (p + 1 < s.length) {
        const nx = s[p + 1];
        if (!quote && (nx === '#' || nx === '!')) {
          out += nx;
        } else {
          out += c + nx;
        }
        p++;
        continue;
      }
      cont = true;
      break;
    }
    if (!quote && skip < 0 && (c === '!' || c === '#')) skip = out.length;
    out += c;
  }
  if (skip >= 0) out = out.slice(0, skip);
  out = trimBlankEnd(out);
  if (cont) out += '\\';
  return { text: out, unterminatedQuote: quote };
}

export function trimBlankEnd(s: string): string {
  let len = s.length;
  while (len > 0 && (s[len - 1] === ' ' || s[len - 1] === '\t')) len--;
  return len === s.length ? s : s.slice(0, len);
}
