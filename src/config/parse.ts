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
  return { ...l.loc, col: l.loc.col + Math.max(0, t.offset) };
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

function isStandIn(x: unknown): x is StandIn {
  return typeof x === 'object' && x !== null && 'i' in x && 'type' in x && !('kind' in x);
}

function instantiate(node: unknown, tokens: readonly Token[], base: number): unknown {
  if (Array.isArray(node)) return node.map((n) => instantiate(n, tokens, base));
  if (isStandIn(node)) return tokens[base + node.i];
  if (typeof node === 'object' && node !== null) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) o[k] = instantiate(v, tokens, base);
    return o;
  }
  return node;
}

/** Parses the token stream into the generic tree. Never throws on any token sequence. */
export function parseTokens(tokens: readonly Token[]): Item[] {
  const items: Item[] = [];
  for (const [s, e] of topLevelRanges(tokens)) {
    const types = tokens.slice(s, e).map((t) => t.type);
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
    items.push(...(instantiate(tree, tokens, s) as Item[]));
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
