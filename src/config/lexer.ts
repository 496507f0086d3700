/**
 * moo lexer for one logical line (after the preprocessor has cut lines at braces).
 * keepalived: alloc_strvec_r() — words split on blanks; a token that starts with `"`
 * runs to the next `"` (quotes dropped, no escapes); an unquoted token also ends at `"`.
 *
 * Most lines have no quote: `plainWords()` splits those without moo (a moo token
 * is an object of eight fields; 100k-line configs made that the lexer's cost).
 */
import moo from 'moo';

export const lineLexer = moo.compile({
  ws: /[ \t\f\v\r]+/,
  lbrace: /\{/,
  rbrace: /\}/,
  qstring: /"[^"]*"/,
  badquote: /"[^"]*/,
  word: /[^ \t\f\v\r\n"{}]+/,
});

export type TokenType = 'word' | 'qstring' | 'lbrace' | 'rbrace' | 'eol';

export interface Token {
  readonly type: TokenType;
  /** The word as keepalived sees it: quotes removed. */
  readonly value: string;
  /** Index into the logical-line array. */
  readonly lineIndex: number;
  /** Offset of the token in the logical line's text. */
  readonly offset: number;
}

export interface LexedLine {
  readonly tokens: Token[];
  /** keepalived: "Unmatched quote" — tokens before the quote are kept, the rest dropped. */
  readonly unmatchedQuote: boolean;
}

export function lexLine(text: string, lineIndex: number): LexedLine {
  const tokens: Token[] = [];
  if (text === '{' || text === '}') {
    tokens.push({ type: text === '{' ? 'lbrace' : 'rbrace', value: text, lineIndex, offset: 0 });
    return { tokens, unmatchedQuote: false };
  }
  lineLexer.reset(text);
  let unmatchedQuote = false;
  for (let t = lineLexer.next(); t !== undefined; t = lineLexer.next()) {
    switch (t.type) {
      case 'ws':
        break;
      case 'qstring':
        tokens.push({ type: 'qstring', value: t.value.slice(1, -1), lineIndex, offset: t.offset });
        break;
      case 'badquote':
        unmatchedQuote = true;
        break;
      default:
        // Braces inside a words line cannot occur after the split; treat them as words.
        tokens.push({ type: 'word', value: t.value, lineIndex, offset: t.offset });
    }
    if (unmatchedQuote) break;
  }
  return { tokens, unmatchedQuote };
}

// moo's `ws` rule: [ \t\f\v\r]
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;

/**
 * The words of a line without a quote, brace or newline: what lexLine() gives
 * for it, as strings (the parser sends every other line through lexLine()).
 */
export function plainWords(text: string): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (isBlank(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isBlank(text.charCodeAt(i))) i++;
    words.push(text.slice(start, i));
  }
  return words;
}
