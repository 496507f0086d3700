/**
 * The preprocessor's output: logical lines and where each one came from.
 *
 * Stored as parallel arrays rather than one `{ text, loc }` object per line: a
 * generated config has 100k+ lines, every one of them lives until the config
 * is built, and per-line objects made the reader slow (GC) and large. A
 * `SourceLoc` is made only when something asks for it (a diagnostic, a model
 * object that records where it was defined).
 */
import type { SourceLoc } from './diagnostics.js';

/** A file being read: its display name and the include line that opened it. */
interface Origin {
  readonly file: string;
  readonly includedFrom: SourceLoc | undefined;
}

const MAX_INTERNED = 1 << 16;

/** Text ids of the two brace lines (the most common lines of any config). */
export const OPEN_ID = 0;
export const CLOSE_ID = 1;

export class LineTable {
  // origin, line, col and text id of each line, four Int32 slots per line:
  // typed storage that the GC never scans, grown by doubling.
  private pos = new Int32Array(4 * 1024);
  private count = 0;
  private readonly origins: Origin[] = [];
  /**
   * One string per distinct line text, by id: configs repeat most lines (`}`,
   * `weight 1`, `retry 3`), so later stages classify and split each distinct
   * text once (by id, without hashing it again) and the heap keeps one copy.
   */
  private readonly texts: string[] = ['{', '}'];
  private readonly ids = new Map<string, number>([
    ['{', OPEN_ID],
    ['}', CLOSE_ID],
  ]);

  get length(): number {
    return this.count;
  }

  /** How many distinct texts (ids run from 0 to this, exclusive). */
  get distinct(): number {
    return this.texts.length;
  }

  /** Every line's text, in order (for tests and tools: the stages read by index). */
  get text(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.textAt(i));
    return out;
  }

  textAt(i: number): string {
    return this.texts[this.pos[4 * i + 3] as number] as string;
  }

  textId(i: number): number {
    return this.pos[4 * i + 3] as number;
  }

  textOfId(id: number): string {
    return this.texts[id] as string;
  }

  /** Registers a file; lines from it are pushed with the returned origin id. */
  addOrigin(file: string, includedFrom: SourceLoc | undefined): number {
    this.origins.push({ file, includedFrom });
    return this.origins.length - 1;
  }

  push(text: string, origin: number, line: number, col: number): void {
    const k = 4 * this.count;
    if (k + 4 > this.pos.length) {
      const grown = new Int32Array(2 * this.pos.length);
      grown.set(this.pos);
      this.pos = grown;
    }
    this.pos[k] = origin;
    this.pos[k + 1] = line;
    this.pos[k + 2] = col;
    this.pos[k + 3] = text === '}' ? CLOSE_ID : text === '{' ? OPEN_ID : this.idOf(text);
    this.count++;
  }

  /** `push()` for a text already interned (`idOf()`, OPEN_ID, CLOSE_ID). */
  pushId(id: number, origin: number, line: number, col: number): void {
    const k = 4 * this.count;
    if (k + 4 > this.pos.length) this.grow();
    const pos = this.pos;
    pos[k] = origin;
    pos[k + 1] = line;
    pos[k + 2] = col;
    pos[k + 3] = id;
    this.count++;
  }

  private grow(): void {
    const grown = new Int32Array(2 * this.pos.length);
    grown.set(this.pos);
    this.pos = grown;
  }

  /** The id of a text that is not `{` or `}` (those have OPEN_ID and CLOSE_ID). */
  idOf(text: string): number {
    const known = this.ids.get(text);
    return known !== undefined ? known : this.addText(text);
  }

  private addText(text: string): number {
    const id = this.texts.length;
    this.texts.push(text);
    // A config of all-distinct lines would only grow the map: past the limit, texts are not shared.
    if (this.ids.size < MAX_INTERNED) this.ids.set(text, id);
    return id;
  }

  /** Where line `i` starts, `colOffset` characters further right. */
  loc(i: number, colOffset = 0): SourceLoc {
    if (i < 0 || i >= this.count) return { file: '', line: 0, col: 0 };
    const o = this.origins[this.pos[4 * i] as number];
    if (!o) return { file: '', line: 0, col: 0 };
    return makeLoc(o.file, this.pos[4 * i + 1] as number, (this.pos[4 * i + 2] as number) + colOffset, o.includedFrom);
  }

  /** A `SourceLoc` for a position in a registered file. */
  locIn(origin: number, line: number, col: number): SourceLoc {
    const o = this.origins[origin];
    return o ? makeLoc(o.file, line, col, o.includedFrom) : { file: '', line: 0, col: 0 };
  }
}

/** Key order matters: `--dump-conf` prints model locs as they are. */
function makeLoc(file: string, line: number, col: number, includedFrom: SourceLoc | undefined): SourceLoc {
  return includedFrom ? { file, line, col, includedFrom } : { file, line, col };
}
