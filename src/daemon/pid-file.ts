/**
 * PID files as keepalived keeps them (keepalived: core/pidfile.c): `PID\n`;
 * refused when the file names a live process ("daemon is already running");
 * a stale file removed first, so the new one is created 0644; opened with
 * O_NOFOLLOW; removed at exit.
 */
import { closeSync, constants, fchmodSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { KaError } from '../lib/errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type PidFileState = { readonly kind: 'absent' } | { readonly kind: 'running'; readonly pid: number } | { readonly kind: 'stale' };

/**
 * keepalived: process_running(). A file that cannot be read (missing, a
 * dangling symlink) is absent. A dead pid is stale; so are our own pid and
 * text that is not a pid, which keepalived counts as running (docs/compat.md #19).
 */
function pidFileState(path: string): PidFileState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { kind: 'absent' };
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? { kind: 'running', pid } : { kind: 'stale' };
}

/** The pid a file names, when it is a live process other than us. */
export function runningPid(path: string): number | undefined {
  const s = pidFileState(path);
  return s.kind === 'running' ? s.pid : undefined;
}

export interface PidFile {
  readonly path: string;
  /** A stale file (dead pid, our own pid, not a pid) was removed first: keepalived logs "Remove a zombie pid file". */
  readonly isStaleReplaced: boolean;
  remove(): void;
}

/**
 * keepalived: pidfile_write() opens O_NOFOLLOW|O_CREAT|O_WRONLY|O_TRUNC, mode
 * 0644 with those bits cleared from the umask, so a file it creates is 0644
 * whatever the umask; a file that already exists keeps its mode (O_TRUNC).
 */
function openPidFile(path: string): number {
  const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW } = constants;
  try {
    const fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    fchmodSync(fd, 0o644); // what keepalived's umask dance gives, without touching the process umask
    return fd;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // It exists but could not be read (a dangling symlink, say), or appeared since the check:
  // keepalived's open(O_TRUNC) keeps its mode, and O_NOFOLLOW refuses a symlink (ELOOP).
  return openSync(path, O_WRONLY | O_TRUNC | O_NOFOLLOW);
}

export function writePidFile(path: string): PidFile {
  const state = pidFileState(path);
  if (state.kind === 'running') throw new KaError('KA_ERR_PIDFILE', `daemon is already running (pid ${state.pid} in ${path})`);
  const isStaleReplaced = state.kind === 'stale';
  try {
    // keepalived: process_running() removes a stale file ("Remove a zombie pid file"), so the new one is created.
    if (isStaleReplaced) unlinkSync(path);
    const fd = openPidFile(path);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new KaError('KA_ERR_PIDFILE', `cannot write pid file ${path}`, { cause: e });
  }
  let isRemoved = false;
  return {
    path,
    isStaleReplaced,
    remove() {
      if (isRemoved) return;
      isRemoved = true;
      try {
        if (runningPid(path) === undefined) unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
