/**
 * Stage 2: logical lines → tokens (moo) → CST (nearley).
 *
 * The file is cut into top-level items (a line, a brace-balanced block, a stray
 * `}`, or blocks left open at the end) and nearley parses each one. nearley's
 * Earley chart grows with its input, so one parse of a 100k-line file is slow and
 * large; per item it stays small. The tree nearley builds depends only on the
 * sequence of token *types*, so a parse is cached by that sequence and re-used
 * for items of the same shape (generated configs repeat a few shapes thousands
 * of times) — the cache holds the tree over token positions, never the words.
 */
import nearley from 'nearley';
import type { Block, Item, Line } from './cst.js';
import type { Diagnostic, SourceLoc } from './diagnostics.js';
import grammar from './generated/grammar.js';
import type { LogicalLine } from './load.js';
import { lexLine } from './lexer.js';
import type { Token, TokenType } from './lexer.js';

const compiled = nearley.Grammar.fromCompiled(grammar);

export interface ParseResult {
  readonly items: Item[];
  readonly diagnostics: Diagnostic[];
}

export function tokenLoc(lines: readonly LogicalLine[], t: Token): SourceLoc {
  const l = lines[t.lineIndex];
  if (!l) return { file: '', line: 0, col: 0 };
  // Offset 0 (the usual case: logical lines start with their first word) shares the line's loc.
  if (t.offset <= 0) return l.loc;
  return { ...l.loc, col: l.loc.col + t.offset };
}

/** Lexes every logical line; adds an `eol` token to each non-empty one. */
export function tokenize(lines: readonly LogicalLine[], diagnostics: Diagnostic[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l) continue;
    const lexed = lexLine(l.text, i);
    if (lexed.unmatchedQuote) {
      diagnostics.push({
        severity: 'error',
        kaClass: 'UNMATCHED_QUOTE',
        code: 'KA_CFG_QUOTE',
        message: `Unmatched quote: '${l.text}'`,
        loc: l.loc,
      });
    }
    if (lexed.tokens.length === 0) continue;
    for (const t of lexed.tokens) out.push(t);
    out.push({ type: 'eol', value: '', lineIndex: i, offset: l.text.length });
  }
  return out;
}

/** Splits the token stream into top-level items: [start, end) ranges. */
function topLevelRanges(tokens: readonly Token[]): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.type === 'lbrace') depth++;
    else if (t.type === 'rbrace') depth = Math.max(0, depth - 1);
    else if (t.type === 'eol' && depth === 0) {
      ranges.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < tokens.length) ranges.push([start, tokens.length]);
  return ranges;
}

interface StandIn {
  readonly type: TokenType;
  readonly i: number;
}

const shapeCache = new Map<string, unknown>();
const SHAPE_CACHE_MAX = 4096;

function parseShape(types: readonly TokenType[]): unknown {
  const key = types.join(',');
  const hit = shapeCache.get(key);
  if (hit !== undefined) return hit;
  const parser = new nearley.Parser(compiled);
  const standIns: StandIn[] = types.map((type, i) => ({ type, i }));
  parser.feed(standIns as unknown as string);
  const result: unknown = (parser.results as unknown[])[0] ?? null;
  if (shapeCache.size >= SHAPE_CACHE_MAX) shapeCache.clear();
  shapeCache.set(key, result);
  return result;
}

function tok(t: unknown, tokens: readonly Token[], base: number): Token {
  return tokens[base + (t as StandIn).i] as Token;
}

/** Re-creates a cached tree over the real tokens of one item (the tree holds stand-ins). */
function instantiate(items: readonly Item[], tokens: readonly Token[], base: number): Item[] {
  const out: Item[] = new Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const it = items[k] as Item;
    switch (it.kind) {
      case 'line': {
        const words: Token[] = new Array(it.words.length);
        for (let w = 0; w < it.words.length; w++) words[w] = tok(it.words[w], tokens, base);
        out[k] = { kind: 'line', words };
        break;
      }
      case 'block':
        out[k] = {
          kind: 'block',
          open: tok(it.open, tokens, base),
          items: instantiate(it.items, tokens, base),
          close: it.close ? tok(it.close, tokens, base) : undefined,
        };
        break;
      case 'stray':
        out[k] = { kind: 'stray', token: tok(it.token, tokens, base) };
        break;
    }
  }
  return out;
}

/** Parses the token stream into the generic tree. Never throws on any token sequence. */
export function parseTokens(tokens: readonly Token[]): Item[] {
  const items: Item[] = [];
  for (const [s, e] of topLevelRanges(tokens)) {
    const types: TokenType[] = new Array(e - s);
    for (let i = s; i < e; i++) types[i - s] = (tokens[i] as Token).type;
    let tree: unknown;
    try {
      tree = parseShape(types);
    } catch {
      tree = null;
    }
    if (!Array.isArray(tree)) {
      // Cannot happen for streams tokenize() makes (the grammar accepts every brace
      // layout); keep the words as plain lines rather than lose them.
      items.push(...fallbackItems(tokens.slice(s, e)));
      continue;
    }
    for (const it of instantiate(tree as Item[], tokens, s)) items.push(it);
  }
  return items;
}

function fallbackItems(tokens: readonly Token[]): Item[] {
  const out: Item[] = [];
  let words: Token[] = [];
  for (const t of tokens) {
    if (t.type === 'eol') {
      if (words.length > 0) out.push({ kind: 'line', words } satisfies Line);
      words = [];
    } else if (t.type === 'rbrace') out.push({ kind: 'stray', token: t });
    else if (t.type === 'lbrace') out.push({ kind: 'block', open: t, items: [], close: undefined } satisfies Block);
    else words.push(t);
  }
  return out;
}

export function parseLines(lines: readonly LogicalLine[]): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const tokens = tokenize(lines, diagnostics);
  return { items: parseTokens(tokens), diagnostics };
}

/** For grammar tests: how many parses nearley finds for a token-type sequence (must be exactly 1). */
export function countParses(types: readonly TokenType[]): number {
  const parser = new nearley.Parser(compiled);
  parser.feed(types.map((type, i) => ({ type, i })) as unknown as string);
  return (parser.results as unknown[]).length;
}
