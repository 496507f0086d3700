import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKaError } from '../lib/errors.js';
import { runningPid, writePidFile } from './pid-file.js';

let dir: string;
let path: string;
const children: ChildProcess[] = [];

/** What `fn` throws (undefined when it returns). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka-pid-'));
  path = join(dir, 'keepalived.pid');
});

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The pid of a live process that is not us. */
function livePid(): number {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('cannot spawn sleep');
  return child.pid;
}

/** A pid that names no process: the kernel's pid_max is at most 2^22. */
const DEAD_PID = 4_194_304 + 1;

describe('writePidFile', () => {
  it('writes "PID\\n" with mode 0644 (under the usual umask 022)', () => {
    const old = process.umask(0o022);
    try {
      writePidFile(path);
    } finally {
      process.umask(old);
    }
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('refuses a file that names another live process: daemon is already running', () => {
    const other = livePid();
    writeFileSync(path, `${other}\n`);
    const err = thrownBy(() => writePidFile(path));
    expect(isKaError(err, 'KA_ERR_PIDFILE')).toBe(true);
    expect((err as Error).message).toContain('daemon is already running');
    expect((err as Error).message).toContain(String(other));
    expect(readFileSync(path, 'utf8')).toBe(`${other}\n`);
  });

  it.each<[string, string]>([
    ['a dead pid', `${DEAD_PID}\n`],
    ['our own pid (a restart in a fresh pid namespace)', `${process.pid}\n`],
    ['text that is not a pid', 'garbage\n'],
  ])('replaces a stale file holding %s', (_, text) => {
    writeFileSync(path, text);
    expect(writePidFile(path).isStaleReplaced).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('says nothing was replaced when there was no file', () => {
    expect(writePidFile(path).isStaleReplaced).toBe(false);
  });

  // keepalived: pidfile_write() creates the file 0644 (those bits cleared from the umask), and
  // process_running() unlinks a stale file first, so an old file's mode is not kept either.
  it.each<[string, number, (() => void) | undefined]>([
    ['created under umask 0177', 0o177, undefined],
    ['replacing a stale 0600 file', 0o022, () => writeFileSync(path, `${DEAD_PID}\n`, { mode: 0o600 })],
  ])('keepalived compat: the file is 0644 when %s', (_, umask, setup) => {
    setup?.();
    const old = process.umask(umask);
    try {
      writePidFile(path);
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('keepalived compat: never writes through a symlink (O_NOFOLLOW): a dangling one is an error', () => {
    const target = join(dir, 'target');
    symlinkSync(target, path);
    const err = thrownBy(() => writePidFile(path));
    expect(isKaError(err, 'KA_ERR_PIDFILE')).toBe(true);
    expect((err as Error).cause).toMatchObject({ code: 'ELOOP' });
    expect(existsSync(target)).toBe(false);
  });

  it('keepalived compat: a symlink to a stale pid file is removed, its target left alone', () => {
    const target = join(dir, 'target');
    writeFileSync(target, `${DEAD_PID}\n`);
    symlinkSync(target, path);
    writePidFile(path);
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    expect(readFileSync(target, 'utf8')).toBe(`${DEAD_PID}\n`);
  });

  it('a path it cannot write is KA_ERR_PIDFILE with the cause', () => {
    const bad = join(dir, 'missing-dir', 'x.pid');
    const err = thrownBy(() => writePidFile(bad));
    expect(isKaError(err, 'KA_ERR_PIDFILE')).toBe(true);
    expect((err as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});

describe('PidFile.remove()', () => {
  it('unlinks the file that still holds our pid, and a second call is harmless', () => {
    const f = writePidFile(path);
    expect(f.path).toBe(path);
    f.remove();
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, 'someone else made this\n'); // after the first remove, nothing is touched
    expect(() => f.remove()).not.toThrow();
    expect(existsSync(path)).toBe(true);
  });

  it('leaves a file that now names another live process', () => {
    const f = writePidFile(path);
    const other = livePid();
    writeFileSync(path, `${other}\n`);
    f.remove();
    expect(readFileSync(path, 'utf8')).toBe(`${other}\n`);
  });

  it('is harmless when the file is already gone', () => {
    const f = writePidFile(path);
    rmSync(path);
    expect(() => f.remove()).not.toThrow();
  });
});

describe('runningPid', () => {
  it('names another live process (surrounding blanks allowed)', () => {
    const other = livePid();
    writeFileSync(path, `  ${other}\n`);
    expect(runningPid(path)).toBe(other);
  });

  it.each<[string, () => void]>([
    ['no file', () => {}],
    ['our own pid', () => writeFileSync(path, `${process.pid}\n`)],
    ['a dead pid', () => writeFileSync(path, `${DEAD_PID}\n`)],
  ])('is undefined for %s', (_, setup) => {
    setup();
    expect(runningPid(path)).toBeUndefined();
  });
});
