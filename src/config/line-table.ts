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

export class LineTable {
  /** The text of each logical line: words, or a lone `{` / `}`. */
  readonly text: string[] = [];
  // origin, line, col of each line, three Int32 slots per line: typed storage
  // that the GC never scans, grown by doubling.
  private pos = new Int32Array(3 * 1024);
  private readonly origins: Origin[] = [];
  /**
   * One string per distinct line text: configs repeat most lines (`}`, `weight 1`,
   * `retry 3`), and every line lives until the config is built, so keeping one
   * copy saves memory and the GC's copying of each duplicate.
   */
  private readonly interned = new Map<string, string>();

  get length(): number {
    return this.text.length;
  }

  /** Registers a file; lines from it are pushed with the returned origin id. */
  addOrigin(file: string, includedFrom: SourceLoc | undefined): number {
    this.origins.push({ file, includedFrom });
    return this.origins.length - 1;
  }

  push(text: string, origin: number, line: number, col: number): void {
    const k = 3 * this.text.length;
    if (k + 3 > this.pos.length) {
      const grown = new Int32Array(2 * this.pos.length);
      grown.set(this.pos);
      this.pos = grown;
    }
    this.pos[k] = origin;
    this.pos[k + 1] = line;
    this.pos[k + 2] = col;
    this.text.push(this.intern(text));
  }

  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    // A config of all-distinct lines would only grow the table.
    if (this.interned.size < MAX_INTERNED) this.interned.set(text, text);
    return text;
  }

  /** Where line `i` starts, `colOffset` characters further right. */
  loc(i: number, colOffset = 0): SourceLoc {
    if (i < 0 || i >= this.text.length) return { file: '', line: 0, col: 0 };
    const o = this.origins[this.pos[3 * i] as number];
    if (!o) return { file: '', line: 0, col: 0 };
    return makeLoc(o.file, this.pos[3 * i + 1] as number, (this.pos[3 * i + 2] as number) + colOffset, o.includedFrom);
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
