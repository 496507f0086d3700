/**
 * The daemon as an operator meets it: start-up refusals and pid files. Every daemon run as root
 * is inside a throwaway network namespace (`unshare -n`: only a down `lo`), so a
 * broken refusal can never speak VRRP or touch addresses on this host; configs
 * that need addresses use 192.0.2.0/24 (RFC 5737).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.mjs');
const isRoot = process.getuid?.() === 0;

const dirs: string[] = [];

beforeAll(() => {
  // A missing build must fail, not skip: these tests are the only check of the daemon's exit statuses.
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
});

afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Record {
  readonly msg: string;
  readonly level: number;
  readonly [key: string]: unknown;
}

function parseRecords(stdout: string): Record[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record);
}

/** A fresh directory (removed after the file's tests) with pid file paths and optional files. */
function workdir(files: { readonly [name: string]: string } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kts-daemon-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, pid: path.join(dir, 'keepalived.pid'), vrrpPid: path.join(dir, 'vrrp.pid'), file: (name: string) => path.join(dir, name) };
}

/** argv for our daemon in the foreground; as root inside a new network namespace. */
function argv(w: ReturnType<typeof workdir>, args: readonly string[]): [string, string[]] {
  const ours = [cli, '-n', '-p', w.pid, '-r', w.vrrpPid, ...args];
  return isRoot ? ['unshare', ['-n', process.execPath, ...ours]] : [process.execPath, ours];
}

function runOnce(w: ReturnType<typeof workdir>, args: readonly string[]) {
  const [cmd, a] = argv(w, args);
  const r = spawnSync(cmd, a, { cwd: root, encoding: 'utf8', timeout: 10_000 });
  return { ...r, records: parseRecords(r.stdout) };
}

const EMPTY_CONF = 'global_defs {\n  router_id kts-test\n}\n';

describe.skipIf(!isRoot)('keepalived-ts daemon start-up (needs root; each run in a throwaway network namespace)', () => {
  it('compat difference: without -P a config with virtual_server blocks is refused (exit 1), no pid file left', () => {
    const w = workdir({ 'k.conf': 'virtual_server 192.0.2.10 80 {\n  real_server 192.0.2.11 80 {\n  }\n}\n' });
    const r = runOnce(w, ['-f', w.file('k.conf')]);
    expect(r.status).toBe(1);
    expect(r.records.map((x) => x.msg)).toContain('the health-checker subsystem is not implemented yet: run with -P (--vrrp) to run VRRP only');
    expect(existsSync(w.pid)).toBe(false);
  });

  it('a missing config file is fatal (exit 1)', () => {
    const w = workdir();
    const r = runOnce(w, ['-P', '-f', w.file('missing.conf')]);
    expect(r.status).toBe(1);
    expect(r.records.find((x) => x.level === 60)?.msg).toBe('Configuration file does not exist or cannot be read');
  });

  it('refuses to start when its pid file names a running process ("daemon is already running")', () => {
    const w = workdir({ 'k.conf': EMPTY_CONF });
    writeFileSync(w.pid, `${process.pid}\n`);
    const r = runOnce(w, ['-P', '-f', w.file('k.conf')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/daemon is already running/);
    expect(readFileSync(w.pid, 'utf8')).toBe(`${process.pid}\n`);
  });
});

describe.skipIf(isRoot)('keepalived-ts daemon as a non-root user (skipped as root)', () => {
  it('refuses to run without root, with exit status 4 (keepalived: missing permission)', () => {
    const w = workdir({ 'k.conf': EMPTY_CONF });
    const r = runOnce(w, ['-P', '-f', w.file('k.conf')]);
    expect(r.status).toBe(4);
  });
});
