/**
 * track_file: the integer in a file, as keepalived reads it
 * (trackers/track_file.c process_track_file()), reported as a TrackerStatus
 * `{ type: 'value', value }` whenever it changes. keepalived watches the
 * file's directory with inotify; we poll every pollIntervalMs (default 1 s)
 * and, when a DirectoryWatcher is given (fs.watch on the directory), also
 * re-read settleMs after each event on the file. The parse is pure; the file
 * system comes in through ports (track-file-reader.ts has the real ones).
 */
import type { Clock } from '../lib/clock.js';
import { strtoll } from '../lib/strtol.js';
import type { TrackerStatus } from '../vrrp/tracker.js';

/** keepalived: `char buf[128]; read(fd, buf, sizeof(buf) - 1)`. */
export const TRACK_FILE_READ_BYTES = 127;

export type TrackFileReading =
  | { readonly type: 'value'; readonly value: number }
  /** keepalived: "Invalid number %ld read from %s - ignoring": the previous value stays. */
  | { readonly type: 'invalid'; readonly text: string };

const INT32_MIN = -(2n ** 31n);
// keepalived: `new_status > (int64_t)INT32_MAX + 1` is the test, so 2^31 itself passes.
const INT32_MAX_PLUS_ONE = 2n ** 31n;

/**
 * keepalived: process_track_file(): a file that cannot be opened or read, or
 * is empty, is 0; otherwise the first 127 bytes (up to a NUL) go through
 * strtol(buf, NULL, 0) — leading white space, a sign, 0x hex or 0 octal, then
 * as many digits as fit ("12abc" is 12, "abc" is 0, "08" is 0). Overflow or a
 * value outside −2^31..2^31 is invalid and ignored.
 */
export function parseTrackFile(bytes: Uint8Array | undefined): TrackFileReading {
  if (bytes === undefined || bytes.length === 0) return { type: 'value', value: 0 };
  let end = Math.min(bytes.length, TRACK_FILE_READ_BYTES);
  const nul = bytes.subarray(0, end).indexOf(0);
  if (nul !== -1) end = nul;
  const text = String.fromCharCode(...bytes.subarray(0, end));
  const { value, isOverflow } = strtoll(text);
  if (isOverflow || value < INT32_MIN || value > INT32_MAX_PLUS_ONE) return { type: 'invalid', text };
  return { type: 'value', value: Number(value) };
}

/** Reads at most TRACK_FILE_READ_BYTES; undefined when the file cannot be opened or read. */
export type TrackFileReader = (path: string) => Promise<Uint8Array | undefined>;
/** Calls onEvent with the entry name for every change in dir; returns a cancel function. */
export type DirectoryWatcher = (dir: string, onEvent: (filename: string | undefined) => void) => () => void;

export interface FileTrackerDeps {
  readonly clock: Clock;
  readonly readFile: TrackFileReader;
  readonly watchDirectory?: DirectoryWatcher;
  /** The first reading, then every change. */
  readonly onChange: (name: string, status: TrackerStatus) => void;
  /** An unparsable value was ignored (keepalived logs it). */
  readonly onInvalid?: (name: string, text: string) => void;
}

export interface FileTrackerOptions {
  /** The track_file block's name. */
  readonly name: string;
  readonly path: string;
  /** Default 1000. */
  readonly pollIntervalMs?: number;
  /** Delay after a directory event before reading, so a writer can finish. Default 50. */
  readonly settleMs?: number;
}

function splitPath(path: string): { dir: string; base: string } {
  const slash = path.lastIndexOf('/');
  if (slash === -1) return { dir: '.', base: path };
  return { dir: slash === 0 ? '/' : path.slice(0, slash), base: path.slice(slash + 1) };
}

export class FileTracker {
  readonly #deps: FileTrackerDeps;
  readonly #options: FileTrackerOptions;
  /** keepalived: tfile->last_status starts at 0. */
  #value = 0;
  #hasRead = false;
  #isReading = false;
  #isDirty = false;
  #isStopped = false;
  #cancelWatch: (() => void) | undefined;
  #cancelPoll: (() => void) | undefined;
  #cancelSettle: (() => void) | undefined;

  constructor(deps: FileTrackerDeps, options: FileTrackerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  get status(): TrackerStatus {
    return { type: 'value', value: this.#value };
  }

  /** Reads the file once (keepalived: init_track_files()), then polls and watches. Resolves with the first reading. */
  async start(): Promise<TrackerStatus> {
    const { dir, base } = splitPath(this.#options.path);
    if (this.#deps.watchDirectory !== undefined) {
      this.#cancelWatch = this.#deps.watchDirectory(dir, (filename) => {
        if (filename === undefined || filename === base) this.#settle();
      });
    }
    this.#schedulePoll();
    await this.#read();
    return this.status;
  }

  stop(): void {
    this.#isStopped = true;
    this.#cancelSettle?.();
    this.#cancelPoll?.();
    this.#cancelWatch?.();
  }

  #schedulePoll(): void {
    if (this.#isStopped) return;
    this.#cancelPoll = this.#deps.clock.setTimer(this.#options.pollIntervalMs ?? 1_000, () => {
      void this.#read();
      this.#schedulePoll();
    });
  }

  #settle(): void {
    if (this.#isStopped) return;
    this.#cancelSettle?.();
    this.#cancelSettle = this.#deps.clock.setTimer(this.#options.settleMs ?? 50, () => {
      this.#cancelSettle = undefined;
      void this.#read();
    });
  }

  /** One read at a time; a request during a read re-reads once it is done. */
  async #read(): Promise<void> {
    if (this.#isReading) {
      this.#isDirty = true;
      return;
    }
    this.#isReading = true;
    try {
      do {
        this.#isDirty = false;
        // keepalived: process_track_file(): a file that cannot be read is 0, so a failing reader is too.
        const bytes = await this.#deps.readFile(this.#options.path).catch(() => undefined);
        if (this.#isStopped) break;
        this.#apply(parseTrackFile(bytes));
      } while (this.#isDirty);
    } finally {
      this.#isReading = false;
    }
  }

  #apply(reading: TrackFileReading): void {
    if (reading.type === 'invalid') {
      this.#deps.onInvalid?.(this.#options.name, reading.text);
      return;
    }
    if (this.#hasRead && reading.value === this.#value) return;
    this.#hasRead = true;
    this.#value = reading.value;
    this.#deps.onChange(this.#options.name, this.status);
  }
}
