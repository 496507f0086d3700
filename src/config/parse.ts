/**
 * Stage 2: logical lines → tokens (moo) → CST (nearley) → the statement stream
 * the keyword walk reads.
 *
 * The file is cut into top-level items (a line, a brace-balanced block, a stray
 * `}`, or blocks left open at the end) and nearley parses each one. nearley's
 * Earley chart grows with its input, so one parse of a 100k-line file is slow and
 * large; per item it stays small.
 *
 * What the grammar decides is the line structure: which line opens, closes or
 * sits in which block. `line -> word:+ %eol` makes the number (and quoting) of a
 * line's words irrelevant to it, so the statement stream is parsed from one
 * token per line kind — a words line as one `word` and its `eol` — and the parse
 * is cached by the item's sequence of line kinds: generated configs repeat a few
 * shapes thousands of times. The cache keeps the tree flattened into a plan
 * (which line of the item each statement is). Statements are pushed as they
 * are read and the plan is applied when an item ends; a plan that keeps the
 * lines as they are (every shape the lexer makes) costs nothing per statement.
 * `parseTree()` parses the full token stream, for tests and tools.
 *
 * Each distinct line text (LineTable text ids) is classified once; only texts
 * with a quote (or starting with a blank moo skips) are lexed, for their words
 * and the unmatched-quote error. `StmtList` splits the others when the walk
 * reads them.
 */
import nearley from 'nearley';
import type { Block, Item, Line } from './cst.js';
import type { Diagnostic } from './diagnostics.js';
import grammar from './generated/grammar.js';
import { lexLine } from './lexer.js';
import type { Token, TokenType } from './lexer.js';
import type { LineTable } from './line-table.js';
import { KIND_CLOSE, KIND_OPEN, KIND_WORDS, StmtList } from './stmt.js';

const compiled = nearley.Grammar.fromCompiled(grammar);

export interface ParseResult {
  readonly stmts: StmtList;
  readonly diagnostics: Diagnostic[];
}

/** What nearley is fed for a line kind: a token's type and the line of the item it stands for. */
interface StandIn {
  readonly type: TokenType;
  readonly k: number;
}

/**
 * nearley's reading of an item shape: pairs (statement kind, line of the item)
 * in stream order, and whether that is just the item's lines in order with
 * their own kinds (it is for every shape the lexer makes: then the statements
 * stay as they were pushed).
 */
interface ShapePlan {
  readonly plan: Int32Array;
  readonly identity: boolean;
}

/** Plans by item shape (a key character per statement: its StmtList kind code). */
const shapeCache = new Map<string, ShapePlan>();
const SHAPE_CACHE_MAX = 4096;
/** The token nearley is fed for a line of each kind code (KIND_WORDS, KIND_OPEN, KIND_CLOSE). */
const KIND_TOKEN: readonly TokenType[] = ['word', 'lbrace', 'rbrace'];

/** Characters that only moo's rules handle: '"' (qstring, badquote), braces inside words, '\n' (none). */
const NEEDS_MOO = /["{}\n]/;
// moo's `ws` rule: [ \t\f\v\r]
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;


/** Where forEachItem() puts each statement line, and the end of each top-level item. */
interface ItemSink {
  push(kind: number, line: number): void;
  endItem(): void;
}

// What a distinct line text is, found once per text id (bit 3: it has an unmatched quote).
const CLASS_UNKNOWN = 0;
const CLASS_WORDS = 1;
const CLASS_OPEN = 2;
const CLASS_CLOSE = 3;
const CLASS_EMPTY = 4;
const CLASS_BADQUOTE = 8;

/** Per distinct text: its class, and the words of texts that needed moo. */
export class TextClasses {
  readonly cls: Uint8Array;
  /** Words of texts moo lexed (quotes), by text id; other texts are split when read. */
  readonly lexed = new Map<number, readonly string[]>();
  constructor(readonly lines: LineTable) {
    this.cls = new Uint8Array(lines.distinct);
  }
  classOf(id: number): number {
    const c = this.cls[id] as number;
    return c === CLASS_UNKNOWN ? this.classify(id) : c;
  }
  private classify(id: number): number {
    const text = this.lines.textOfId(id);
    let c: number;
    if (text === '{') c = CLASS_OPEN;
    else if (text === '}') c = CLASS_CLOSE;
    else if (!isBlank(text.charCodeAt(0)) && !NEEDS_MOO.test(text)) {
      // A plain line that starts with a word (the preprocessor never yields an empty one).
      c = CLASS_WORDS;
    } else {
      const { tokens, unmatchedQuote } = lexLine(text, 0);
      c = tokens.length === 0 ? CLASS_EMPTY : CLASS_WORDS;
      if (tokens.length > 0) this.lexed.set(id, tokens.map((t) => t.value));
      if (unmatchedQuote) c |= CLASS_BADQUOTE;
    }
    this.cls[id] = c;
    return c;
  }
}

/**
 * Classifies every logical line and hands each statement line and the end of
 * each top-level item to `sink`. An item ends at a line that leaves the brace
 * depth at 0 (only a lone `{` or `}` is a brace). Lines without a word are no
 * statement.
 */
function forEachItem(lines: LineTable, classes: TextClasses, diagnostics: Diagnostic[], sink: ItemSink): void {
  const n = lines.length;
  const cls = classes.cls;
  let depth = 0;
  let open = false;
  for (let i = 0; i < n; i++) {
    const id = lines.textId(i);
    let c = cls[id] as number;
    if (c === CLASS_UNKNOWN) c = classes.classOf(id);
    if (c === CLASS_OPEN) {
      sink.push(KIND_OPEN, i);
      depth++;
    } else if (c === CLASS_CLOSE) {
      sink.push(KIND_CLOSE, i);
      if (depth > 0) depth--;
    } else {
      if (c & CLASS_BADQUOTE) {
        diagnostics.push({
          severity: 'error',
          kaClass: 'UNMATCHED_QUOTE',
          code: 'KA_CFG_QUOTE',
          message: `Unmatched quote: '${lines.textAt(i)}'`,
          loc: lines.loc(i),
        });
      }
      if ((c & 7) === CLASS_EMPTY) continue;
      sink.push(KIND_WORDS, i);
    }
    open = depth > 0;
    if (!open) sink.endItem();
  }
  if (open) sink.endItem();
}

/** Builds the statement stream: statements are pushed as read; each item is checked against its shape's plan. */
class PlannedStmts implements ItemSink {
  private start = 0;
  constructor(readonly stmts: StmtList) {}
  push(kind: number, line: number): void {
    this.stmts.push(kind, line);
  }
  endItem(): void {
    const stmts = this.stmts;
    const start = this.start;
    const shape = planFor(stmts.shapeKey(start));
    if (!shape.identity) stmts.replan(start, shape.plan);
    this.start = stmts.length;
  }
}

function planFor(key: string): ShapePlan {
  const hit = shapeCache.get(key);
  if (hit !== undefined) return hit;
  let shape: ShapePlan;
  if (blocksKeepOrder(key)) {
    // nearley read every block of the item as its lines in order: so is the item.
    const plan = new Int32Array(2 * key.length);
    for (let k = 0; k < key.length; k++) {
      plan[2 * k] = key.charCodeAt(k);
      plan[2 * k + 1] = k;
    }
    shape = { plan, identity: true };
  } else {
    shape = nearleyPlan(key);
  }
  if (shapeCache.size >= SHAPE_CACHE_MAX) shapeCache.clear();
  shapeCache.set(key, shape);
  return shape;
}

/** nearley's plan for a whole item shape, from one parse of all its lines. */
function nearleyPlan(key: string): ShapePlan {
  const standIns: StandIn[] = [];
  for (let k = 0; k < key.length; k++) {
    standIns.push({ type: KIND_TOKEN[key.charCodeAt(k)] as TokenType, k }, { type: 'eol', k });
  }
  const plan: number[] = [];
  planOf(parseItem(standIns as unknown as Token[]), plan);
  let identity = plan.length === 2 * key.length;
  for (let j = 0; identity && j < key.length; j++) {
    identity = plan[2 * j] === key.charCodeAt(j) && plan[2 * j + 1] === j;
  }
  return { plan: Int32Array.from(plan), identity };
}

/** Whether nearley reads a block's own shape as its lines in order, by shape. */
const blockCache = new Map<string, boolean>();
const EMPTY_BLOCK = String.fromCharCode(KIND_OPEN, KIND_CLOSE);

/**
 * An item shape, read block by block: nearley parses each distinct block once,
 * its nested blocks standing in as `{` `}` (a block is a unit of the grammar:
 * what is inside it never changes how the lines around it parse). A generated
 * config's virtual_server repeats one real_server shape; nearley then reads
 * that shape once instead of every line of every distinct virtual_server.
 * False when some block does not read as its lines in order, or a block is left
 * open: the caller then parses the whole item.
 */
function blocksKeepOrder(key: string): boolean {
  const frames: string[] = [''];
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    const top = frames.length - 1;
    if (c === KIND_OPEN) frames.push(key[k] as string);
    else if (c === KIND_CLOSE && top > 0) {
      const own = (frames.pop() as string) + (key[k] as string);
      if (!readsInOrder(own)) return false;
      frames[top - 1] += EMPTY_BLOCK;
    } else frames[top] += key[k] as string;
  }
  return frames.length === 1 && readsInOrder(frames[0] as string);
}

function readsInOrder(shape: string): boolean {
  let r = blockCache.get(shape);
  if (r === undefined) {
    r = nearleyPlan(shape).identity;
    if (blockCache.size >= SHAPE_CACHE_MAX) blockCache.clear();
    blockCache.set(shape, r);
  }
  return r;
}

/** nearley's tree for one item's tokens. */
function parseItem(tokens: Token[]): Item[] {
  let tree: unknown;
  try {
    const parser = new nearley.Parser(compiled);
    parser.feed(tokens as unknown as string);
    tree = (parser.results as unknown[])[0];
  } catch {
    tree = undefined;
  }
  // Cannot happen for streams the lexer makes (the grammar accepts every brace
  // layout); keep the words as plain lines rather than lose them.
  return Array.isArray(tree) ? (tree as Item[]) : fallbackItems(tokens);
}

const lineOf = (t: Token): number => (t as unknown as StandIn).k;

/** keepalived's view of the tree: `{` and `}` are lines of their own, in file order (StmtList kind codes). */
function planOf(items: readonly Item[], out: number[]): void {
  for (const it of items) {
    switch (it.kind) {
      case 'line': {
        const first = it.words[0];
        if (first) out.push(0, lineOf(first));
        break;
      }
      case 'block':
        out.push(1, lineOf(it.open));
        planOf(it.items, out);
        if (it.close) out.push(2, lineOf(it.close));
        break;
      case 'stray':
        out.push(2, lineOf(it.token));
        break;
    }
  }
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

/** The statement stream of a config. Never throws on any input. */
export function parseLines(lines: LineTable): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new TextClasses(lines);
  const stmts = new StmtList(lines, lines.length, classes.lexed);
  forEachItem(lines, classes, diagnostics, new PlannedStmts(stmts));
  return { stmts, diagnostics };
}

/** The generic tree over every token (for tests and tools; not cached). */
export function parseTree(lines: LineTable): Item[] {
  const out: Item[] = [];
  let itemLines: number[] = [];
  forEachItem(lines, new TextClasses(lines), [], {
    push: (_kind, line) => itemLines.push(line),
    endItem: () => {
      const tokens: Token[] = [];
      for (const li of itemLines) {
        const text = lines.textAt(li);
        tokens.push(...lexLine(text, li).tokens, { type: 'eol', value: '', lineIndex: li, offset: text.length });
      }
      out.push(...parseItem(tokens));
      itemLines = [];
    },
  });
  return out;
}

/** For grammar tests: how many parses nearley finds for a token-type sequence (must be exactly 1). */
export function countParses(types: readonly TokenType[]): number {
  const parser = new nearley.Parser(compiled);
  parser.feed(types.map((type, i) => ({ type, i })) as unknown as string);
  return (parser.results as unknown[]).length;
}
