/**
 * notify_fifo / vrrp_notify_fifo as keepalived keeps them (reference §3.3):
 * mkfifo (mode 0600 after umask, chowned to the configured user) unless the
 * path exists, opened O_RDWR|O_NONBLOCK so a write never blocks (a full pipe
 * loses the line, counted), the fifo script started with the path as its last
 * argument, and the FIFO unlinked at exit if we made it.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, constants, existsSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { NotifyFifo } from '../config/schema/global-defs.js';
import type { ScriptRunner } from './run-script.js';

export class FifoWriter {
  readonly path: string;
  readonly #fd: number;
  readonly #isOurs: boolean;
  #lost = 0;

  private constructor(path: string, fd: number, isOurs: boolean) {
    this.path = path;
    this.#fd = fd;
    this.#isOurs = isOurs;
  }

  /** Opens (creating if needed) the FIFO and starts its script; undefined when no path is configured. */
  static open(f: NotifyFifo, runScript: ScriptRunner): FifoWriter | undefined {
    if (f.path === undefined) return undefined;
    const isOurs = !existsSync(f.path);
    if (isOurs) {
      execFileSync('mkfifo', ['-m', '0600', f.path]); // keepalived: 0644 less its default umask 0177
      if (f.uid !== 0 || f.gid !== 0) chownSync(f.path, f.uid, f.gid);
    }
    const fd = openSync(f.path, constants.O_RDWR | constants.O_NONBLOCK);
    if (f.script !== undefined) void runScript(f.script, { argv: [...f.script.argv, f.path] });
    return new FifoWriter(f.path, fd, isOurs);
  }

  get lost(): number {
    return this.#lost;
  }

  write(line: string): void {
    try {
      writeSync(this.#fd, `${line}\n`);
    } catch {
      this.#lost++; // EAGAIN: nobody reads and the pipe is full
    }
  }

  close(): void {
    closeSync(this.#fd);
    if (this.#isOurs) {
      try {
        unlinkSync(this.path);
      } catch {
        // already gone
      }
    }
  }
}
