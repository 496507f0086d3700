/**
 * The statement stream the keyword walk reads (engine.ts): one statement per
 * logical line, as words, `{` or `}`.
 *
 * The parser records only each statement's kind and line; a `Stmt` object, its
 * words, its location and its word columns are made when the walk reaches it
 * (or a message asks). Most statements are read by one pass and then dropped,
 * so they die young instead of filling the heap for the whole run.
 */
import type { SourceLoc } from './diagnostics.js';
import { lexLine, plainWords } from './lexer.js';
import type { LineTable } from './line-table.js';

export type StmtKind = 'words' | 'open' | 'close';

export interface Stmt {
  readonly kind: StmtKind;
  readonly words: readonly string[];
  /** Where the first word starts. */
  readonly loc: SourceLoc;
  /** The logical line text (the script tokeniser re-reads it, as keepalived does). */
  readonly raw: string;
  /** How far right of `loc` word `i` starts; undefined when there is no word `i`. */
  colOffset(i: number): number | undefined;
}

/** lexLine()'s `ws` characters: a line starting with one has its first word further right. */
const startsBlank = (s: string): boolean => {
  const c = s.charCodeAt(0);
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
};

/** Where the first word of a line starts (a line starting with a blank has it further right). */
function firstWordLoc(kind: StmtKind, raw: string, lines: LineTable, index: number): SourceLoc {
  const first = kind === 'words' && startsBlank(raw) ? (wordOffsets(kind, raw, index)[0] ?? 0) : 0;
  return lines.loc(index, first);
}

/** Word offsets in `raw`: lexed again, since only messages need them. */
function wordOffsets(kind: StmtKind, raw: string, index: number): number[] {
  if (kind !== 'words') return [0];
  return lexLine(raw, index).tokens.map((t) => t.offset);
}

export class LineStmt implements Stmt {
  private cachedLoc: SourceLoc | undefined;

  constructor(
    readonly kind: StmtKind,
    readonly words: readonly string[],
    readonly raw: string,
    private readonly lines: LineTable,
    private readonly index: number,
  ) {
    this.cachedLoc = undefined;
  }

  get loc(): SourceLoc {
    return (this.cachedLoc ??= firstWordLoc(this.kind, this.raw, this.lines, this.index));
  }

  colOffset(i: number): number | undefined {
    if (i >= this.words.length) return undefined;
    if (i === 0) return 0;
    const o = this.offsets();
    const oi = o[i];
    return oi === undefined ? undefined : oi - (o[0] ?? 0);
  }

  private offsets(): number[] {
    return wordOffsets(this.kind, this.raw, this.index);
  }
}

const KINDS: readonly StmtKind[] = ['words', 'open', 'close'];
/** Statement kind codes (the order of StmtKind). */
export const KIND_WORDS = 0;
export const KIND_OPEN = 1;
export const KIND_CLOSE = 2;
const KEY_DECODER = new TextDecoder('latin1');
const OPEN_WORDS: readonly string[] = Object.freeze(['{']);
const CLOSE_WORDS: readonly string[] = Object.freeze(['}']);

/** The statements of a config, in stream order. */
export class StmtList {
  private readonly kinds: Uint8Array;
  private readonly lineOf: Int32Array;
  private count = 0;
  private ends: Int32Array | undefined;
  /** Words by text id: most lines repeat, and their words are read-only. */
  private readonly split: (readonly string[] | undefined)[] = [];

  /**
   * `capacity`: at most one statement per line. `lexed`: the words of texts (by
   * text id) that needed the moo lexer (quotes); other texts are split when read.
   */
  constructor(
    readonly lines: LineTable,
    capacity: number,
    private readonly lexed: ReadonlyMap<number, readonly string[]>,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.lineOf = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** `kind`: 0 words, 1 `{`, 2 `}` (the order of StmtKind). */
  push(kind: number, line: number): void {
    this.kinds[this.count] = kind;
    this.lineOf[this.count++] = line;
  }

  kind(i: number): StmtKind | undefined {
    return i < this.count ? KINDS[this.kinds[i] as number] : undefined;
  }

  /** KIND_* of statement `i` (which must exist). */
  kindCode(i: number): number {
    return this.kinds[i] as number;
  }

  /** The words of statement `i` (which must exist), without making the statement. */
  wordsAt(i: number): readonly string[] {
    const k = this.kinds[i] as number;
    if (k === KIND_OPEN) return OPEN_WORDS;
    if (k === KIND_CLOSE) return CLOSE_WORDS;
    const id = this.lines.textId(this.lineOf[i] as number);
    return this.split[id] ?? this.wordsOf(id, this.lines.textOfId(id));
  }

  /** Where statement `i` (which must exist) starts: its first word. */
  locAt(i: number): SourceLoc {
    const li = this.lineOf[i] as number;
    return firstWordLoc(KINDS[this.kinds[i] as number] as StmtKind, this.lines.textAt(li), this.lines, li);
  }

  /** Statement `i`, made now; undefined past the end. */
  at(i: number): Stmt | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const kind = KINDS[this.kinds[i] as number] as StmtKind;
    const li = this.lineOf[i] as number;
    const id = this.lines.textId(li);
    const text = this.lines.textOfId(id);
    let words: readonly string[];
    if (kind === 'open') words = OPEN_WORDS;
    else if (kind === 'close') words = CLOSE_WORDS;
    else words = this.split[id] ?? this.wordsOf(id, text);
    return new LineStmt(kind, words, text, this.lines, li);
  }

  private wordsOf(id: number, text: string): readonly string[] {
    const words = this.lexed.get(id) ?? plainWords(text);
    this.split[id] = words;
    return words;
  }

  /** The kind codes of statements `start`… (the last item) as a string: a shape cache key. */
  shapeKey(start: number): string {
    return KEY_DECODER.decode(this.kinds.subarray(start, this.count));
  }

  /**
   * Rewrites statements `start`… (one item) by a plan: pairs (kind, k), where k
   * is the item's k-th statement as pushed.
   */
  replan(start: number, plan: Int32Array): void {
    const pushed = this.lineOf.slice(start, this.count);
    this.count = start;
    for (let j = 0; j < plan.length; j += 2) this.push(plan[j] as number, pushed[plan[j + 1] as number] as number);
  }

  /** For each `{`, the index just past its matching `}` (keepalived's brace count). */
  blockEnds(): Int32Array {
    if (this.ends) return this.ends;
    const n = this.count;
    // Unclosed blocks run to the end: skipBlock's last next() leaves pos at n + 1.
    const ends = new Int32Array(n).fill(n + 1);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.kinds[i];
      if (k === KIND_OPEN) stack.push(i);
      else if (k === KIND_CLOSE && stack.length > 0) ends[stack.pop() as number] = i + 1;
    }
    this.ends = ends;
    return ends;
  }

  toArray(): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i) as Stmt);
    return out;
  }
}
