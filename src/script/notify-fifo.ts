/**
 * A notify FIFO (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo) as keepalived
 * runs it (lib/notify.c fifo_open()/fifo_close()): mkfifo unless the path
 * exists, chown to the configured user/group, start the *_notify_fifo_script
 * with the FIFO path as its last argument, open O_RDWR|O_NONBLOCK so that a
 * write never blocks (a full pipe loses the line), and at close unlink the
 * FIFO first (only if we created it) so a looping reader cannot reopen it.
 */
import { chownSync, closeSync, constants, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { KaError } from '../lib/errors.js';
import type { Exec } from '../lib/exec.js';
import type { RunnableScript, ScriptExit, ScriptHandle, ScriptRunner } from './script-runner.js';

export interface NotifyFifoConfig {
  readonly path: string;
  /** Owner of a FIFO we create (notify_fifo PATH [user [group]]). */
  readonly uid: number;
  readonly gid: number;
  /** The *_notify_fifo_script; it is run with the FIFO path appended. */
  readonly script?: RunnableScript;
  /** keepalived: mkfifo(0644) under its default umask 0177, i.e. 0600. */
  readonly mode?: number;
}

export interface NotifyFifoDeps {
  /** Runs mkfifo (Node has no mkfifo(3)). */
  readonly exec: Exec;
  readonly runScript: ScriptRunner;
  /** Default /usr/bin/mkfifo. */
  readonly mkfifoPath?: string;
}

const DEFAULT_MODE = 0o600;

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw new KaError('KA_ERR_FIFO', `cannot stat notify fifo ${path}`, { cause: err });
  }
}

/** Creates the FIFO unless something is at the path; true when we created it. */
async function createFifo(deps: NotifyFifoDeps, config: NotifyFifoConfig): Promise<boolean> {
  if (exists(config.path)) return false;
  const mode = (config.mode ?? DEFAULT_MODE).toString(8).padStart(4, '0');
  const r = await deps.exec([deps.mkfifoPath ?? '/usr/bin/mkfifo', '-m', mode, '--', config.path]);
  if (r.code === 0) return true;
  // keepalived: EEXIST is fine (somebody else made it meanwhile); anything else disables the FIFO.
  if (exists(config.path)) return false;
  throw new KaError('KA_ERR_FIFO', `cannot create notify fifo ${config.path}: mkfifo exited ${r.code}: ${r.stderr.trim()}`);
}

/**
 * keepalived: fifo_open(): chown only the ids that differ from ours, and only
 * log a failure ("Failed to set uid:gid for fifo").
 */
function chownFifo(config: NotifyFifoConfig): Error | undefined {
  const ourUid = process.geteuid?.() ?? 0;
  const ourGid = process.getegid?.() ?? 0;
  if (config.uid === ourUid && config.gid === ourGid) return undefined;
  try {
    chownSync(config.path, config.uid !== ourUid ? config.uid : -1, config.gid !== ourGid ? config.gid : -1);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export class NotifyFifo {
  readonly path: string;
  /** We made the FIFO (and so remove it at close). */
  readonly isCreated: boolean;
  /** Set when the chown of a FIFO we created failed; keepalived only logs it. */
  readonly chownError: Error | undefined;
  /** Resolves when the FIFO script ends (keepalived logs "notify fifo script terminated"). */
  readonly scriptExited: Promise<ScriptExit> | undefined;
  #fd: number | undefined;
  #dropped = 0;
  readonly #script: ScriptHandle | undefined;

  private constructor(path: string, fd: number, isCreated: boolean, chownError: Error | undefined, script: ScriptHandle | undefined) {
    this.path = path;
    this.#fd = fd;
    this.isCreated = isCreated;
    this.chownError = chownError;
    this.#script = script;
    this.scriptExited = script?.exited;
  }

  /** Creates (if needed) and opens the FIFO and starts its script. Throws KaError KA_ERR_FIFO. */
  static async open(deps: NotifyFifoDeps, config: NotifyFifoConfig): Promise<NotifyFifo> {
    const isCreated = await createFifo(deps, config);
    const chownError = isCreated ? chownFifo(config) : undefined;
    // keepalived starts the script before it opens the FIFO.
    const script = config.script === undefined ? undefined : deps.runScript({ ...config.script, argv: [...config.script.argv, config.path] });
    let fd: number;
    try {
      // O_NOFOLLOW as keepalived; Node adds O_CLOEXEC itself.
      fd = openSync(config.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    } catch (err) {
      if (isCreated) unlinkQuietly(config.path);
      script?.kill();
      throw new KaError('KA_ERR_FIFO', `cannot open notify fifo ${config.path}: ${errnoOf(err) ?? String(err)}`, { cause: err });
    }
    return new NotifyFifo(config.path, fd, isCreated, chownError, script);
  }

  /** Writes one line (with its '\n'). Never blocks; false (and counted) when the line was lost. */
  write(line: string): boolean {
    if (this.#fd === undefined) {
      this.#dropped++;
      return false;
    }
    const bytes = Buffer.from(line, 'utf8');
    try {
      // Lines are far below PIPE_BUF, so a pipe write is all or nothing (EAGAIN when full).
      if (writeSync(this.#fd, bytes) === bytes.length) return true;
    } catch {
      // EAGAIN: the pipe is full because nobody reads. keepalived ignores the error too.
    }
    this.#dropped++;
    return false;
  }

  /** Lines lost because the pipe was full (or the FIFO closed). */
  get droppedLines(): number {
    return this.#dropped;
  }

  /** Unlinks (if ours), closes, and stops the FIFO script (SIGTERM to its group, SIGKILL after 1 s). */
  async close(): Promise<void> {
    if (this.#fd === undefined) return;
    if (this.isCreated) unlinkQuietly(this.path);
    closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#script !== undefined) {
      this.#script.kill();
      await this.#script.exited;
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}
