/** Integration-style: a real FIFO in a temp dir and real readers. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKaError } from '../lib/errors.js';
import { createExec } from '../lib/exec.js';
import { NotifyFifo } from './notify-fifo.js';
import { createScriptRunner } from './run-script.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ka-notify-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const me = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 };
const isRoot = me.uid === 0;
const deps = { exec: createExec(), runScript: createScriptRunner() };
let n = 0;
const fresh = (): string => path.join(dir, `fifo-${n++}`);

async function until(cond: () => boolean, ms = 1_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A real reader: `cat FIFO`, collecting what it reads. */
function reader(fifo: string): { text: () => string; done: Promise<void> } {
  const child = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    text += d;
  });
  return { text: () => text, done: new Promise((r) => child.once('exit', () => r())) };
}

describe('NotifyFifo', () => {
  it('creates the FIFO (mode 0600), delivers lines to a reader, and removes the FIFO it created', async () => {
    const p = fresh();
    const fifo = await NotifyFifo.open(deps, { path: p, ...me });
    expect(fifo.isCreated).toBe(true);
    const st = lstatSync(p);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    const r = reader(p);
    expect(fifo.write('INSTANCE "VI_1" MASTER 150\n')).toBe(true);
    expect(fifo.write('GROUP "G1" MASTER 0\n')).toBe(true);
    await until(() => r.text().split('\n').length === 3);
    expect(r.text()).toBe('INSTANCE "VI_1" MASTER 150\nGROUP "G1" MASTER 0\n');
    await fifo.close();
    await r.done; // our O_RDWR fd was the last writer: the reader sees EOF
    expect(existsSync(p)).toBe(false);
  });

  it('uses an existing FIFO and leaves it in place at close', async () => {
    const p = fresh();
    const first = await NotifyFifo.open(deps, { path: p, ...me });
    const second = await NotifyFifo.open(deps, { path: p, ...me });
    expect(second.isCreated).toBe(false);
    await second.close();
    expect(existsSync(p)).toBe(true);
    await first.close();
    expect(existsSync(p)).toBe(false);
  });

  it('never blocks when nobody reads: a full pipe drops and counts lines', async () => {
    const fifo = await NotifyFifo.open(deps, { path: fresh(), ...me });
    const line = `${'INSTANCE "VI_1" MASTER_PRIORITY 140'.padEnd(99, ' ')}\n`;
    let written = 0;
    for (let i = 0; i < 2_000; i++) if (fifo.write(line)) written++;
    expect(written).toBeGreaterThan(0);
    expect(written * line.length).toBeLessThanOrEqual(1 << 20); // the pipe buffer, not the loop, limits it
    expect(fifo.droppedLines).toBe(2_000 - written);
    await fifo.close();
    expect(fifo.write(line)).toBe(false);
  });

  it('starts the FIFO script with the path as last argument and stops it at close', async () => {
    const p = fresh();
    const out = path.join(dir, 'script.out');
    const args = path.join(dir, 'script.args');
    const s = path.join(dir, 'fifo-script.sh');
    writeFileSync(s, `#!/bin/sh\nprintf '%s\\n' "$@" > '${args}'\nlast=$2\ncat "$last" > '${out}'\nsleep 5\n`);
    chmodSync(s, 0o755);
    const fifo = await NotifyFifo.open(deps, { path: p, ...me, script: { argv: [s, 'first arg'], ...me } });
    fifo.write('INSTANCE "VI_1" BACKUP 100\n');
    await until(() => existsSync(out) && readFileSync(out, 'utf8').length > 0);
    expect(readFileSync(args, 'utf8')).toBe(`first arg\n${p}\n`);
    expect(readFileSync(out, 'utf8')).toBe('INSTANCE "VI_1" BACKUP 100\n');
    await fifo.close();
    expect(await fifo.scriptExited).toMatchObject({ signal: 'SIGTERM' });
  });

  it('fails with KA_ERR_FIFO when mkfifo cannot create the path', async () => {
    const err = await NotifyFifo.open(deps, { path: path.join(dir, 'missing-dir', 'fifo'), ...me }).catch((e: unknown) => e);
    expect(isKaError(err, 'KA_ERR_FIFO')).toBe(true);
  });

  it('keepalived compat: refuses to follow a symlink (O_NOFOLLOW)', async () => {
    const target = fresh();
    const first = await NotifyFifo.open(deps, { path: target, ...me });
    const link = path.join(dir, 'link');
    symlinkSync(target, link);
    const err = await NotifyFifo.open(deps, { path: link, ...me }).catch((e: unknown) => e);
    expect(isKaError(err, 'KA_ERR_FIFO')).toBe(true);
    await first.close();
  });

  it.skipIf(!isRoot)('chowns a FIFO it creates to the configured user and group (needs root: skipped when not root)', async () => {
    const p = fresh();
    const fifo = await NotifyFifo.open(deps, { path: p, uid: 65534, gid: 65534 });
    expect(fifo.chownError).toBeUndefined();
    const st = lstatSync(p);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
    await fifo.close();
  });

  it.skipIf(isRoot)('reports (does not throw) a chown it may not do (not root: skipped as root)', async () => {
    const fifo = await NotifyFifo.open(deps, { path: fresh(), uid: 0, gid: 0 });
    expect(fifo.chownError).toBeInstanceOf(Error);
    await fifo.close();
  });
});
