/**
 * PID files as keepalived keeps them (reference §5.3): `PID\n`, mode 0644,
 * refused when the file names a live process ("daemon is already running"),
 * a stale file replaced, removed at exit.
 */
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { KaError } from '../lib/errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a file names, when it is a live process other than us. */
export function runningPid(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

export interface PidFile {
  readonly path: string;
  remove(): void;
}

export function writePidFile(path: string): PidFile {
  const other = runningPid(path);
  if (other !== undefined) throw new KaError('KA_ERR_PIDFILE', `daemon is already running (pid ${other} in ${path})`);
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
    // keepalived: pidfile_write() fchmods to 0644 whatever the umask (0177) or an old file's mode.
    chmodSync(path, 0o644);
  } catch (e) {
    throw new KaError('KA_ERR_PIDFILE', `cannot write pid file ${path}`, { cause: e });
  }
  let isRemoved = false;
  return {
    path,
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
