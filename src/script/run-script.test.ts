/** Adapter tests with real processes (each well under a second). */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKaError } from '../lib/errors.js';
import { createScriptRunner } from './run-script.js';
import type { RunnableScript } from './script-runner.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ka-run-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const me = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 };
const isRoot = me.uid === 0;
const run = createScriptRunner();

function script(name: string, body: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}
const as = (...argv: string[]): RunnableScript => ({ argv, ...me });

/** Running or sleeping; a zombie (killed, waiting for a reaper that may never come in a container) is not alive. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('createScriptRunner', () => {
  it('reports exit codes', async () => {
    expect(await run(as('/bin/true')).exited).toEqual({ code: 0, signal: null, isTimedOut: false });
    expect(await run(as('/bin/false')).exited).toEqual({ code: 1, signal: null, isTimedOut: false });
  });

  it('passes argv as is, never through a shell', async () => {
    const out = path.join(dir, 'args.out');
    const p = script('args.sh', `printf '%s\\n' "$@" > '${out}'`);
    await run(as(p, 'quoted arg', '$HOME', ';', '`id`')).exited;
    expect(readFileSync(out, 'utf8')).toBe('quoted arg\n$HOME\n;\n`id`\n');
  });

  it('runs the script in its own process group, with our environment', async () => {
    const out = path.join(dir, 'pgid.out');
    process.env.KA_RUN_SCRIPT_TEST = 'from-parent';
    const p = script('pgid.sh', `echo "$$ $(cut -d' ' -f5 /proc/$$/stat) $KA_RUN_SCRIPT_TEST" > '${out}'`);
    await run(as(p)).exited;
    delete process.env.KA_RUN_SCRIPT_TEST;
    const [pid, pgid, env] = readFileSync(out, 'utf8').trim().split(' ');
    expect(pgid).toBe(pid);
    expect(env).toBe('from-parent');
  });

  it.each([
    ['a missing program', '/nonexistent/script.sh', 'ENOENT'],
    ['a file that is not executable', 'not-executable', 'EACCES'],
    ['a directory', '.', 'EACCES'],
  ])('turns a spawn failure (%s) into a result, not a throw', async (_what, file, errno) => {
    const target = file.startsWith('/') ? file : path.join(dir, file);
    if (file === 'not-executable') writeFileSync(target, 'data');
    const handle = run(as(target));
    expect(handle.pid).toBeUndefined();
    const exit = await handle.exited;
    expect(exit).toMatchObject({ code: null, signal: null, errno, isTimedOut: false });
    expect(isKaError(exit.error, 'KA_ERR_SCRIPT_SPAWN')).toBe(true);
    expect((exit.error?.cause as { code?: string } | undefined)?.code).toBe(errno);
  });

  it('an empty argv is a spawn failure too', async () => {
    expect(await run({ argv: [], ...me }).exited).toMatchObject({ code: null, errno: 'ENOENT' });
  });

  it('keepalived compat: on timeout SIGTERMs the whole process group (children too)', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const p = script('tree.sh', `sleep 5 & echo $! > '${pidFile}'\nwait`);
    const t0 = performance.now();
    const exit = await run(as(p), { timeoutMs: 150 }).exited;
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(exit).toEqual({ code: null, signal: 'SIGTERM', isTimedOut: true });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('keepalived compat: a script that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const p = script('stubborn.sh', "trap '' TERM\nwhile :; do sleep 0.05; done");
    const t0 = performance.now();
    const exit = await run(as(p), { timeoutMs: 100, killGraceMs: 200 }).exited;
    const took = performance.now() - t0;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL', isTimedOut: true });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_000);
  });

  it("keepalived compat: a STOP script's timeout is SIGKILL at once", async () => {
    const exit = await run(as('/bin/sleep', '5'), { timeoutMs: 100, onTimeout: 'kill' }).exited;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL', isTimedOut: true });
  });

  it('a script that exits before its timeout is not signalled', async () => {
    expect(await run(as('/bin/sleep', '0.01'), { timeoutMs: 500 }).exited).toEqual({ code: 0, signal: null, isTimedOut: false });
  });

  it('kill() sends SIGTERM to the group', async () => {
    const handle = run(as('/bin/sleep', '5'));
    await new Promise((r) => setTimeout(r, 30));
    handle.kill();
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGTERM', isTimedOut: false });
  });

  it.skipIf(!isRoot)('runs as the script user and group (needs root: skipped when not root)', async () => {
    const handle = run({ argv: ['/bin/sleep', '5'], uid: 65534, gid: 65534 });
    await new Promise((r) => setTimeout(r, 30));
    const status = readFileSync(`/proc/${handle.pid}/status`, 'utf8');
    handle.kill();
    await handle.exited;
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(status).toMatch(/^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
  });
});
