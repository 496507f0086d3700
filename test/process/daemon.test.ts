/** The daemon's start-up refusals and pid files, as an operator meets them (no sockets opened). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.mjs');
const isRoot = process.getuid?.() === 0;

function daemon(args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kts-daemon-'));
  const pid = path.join(dir, 'keepalived.pid');
  const vrrpPid = path.join(dir, 'vrrp.pid');
  const r = spawnSync(process.execPath, [cli, '-n', '-p', pid, '-r', vrrpPid, ...args], { cwd: root, encoding: 'utf8', timeout: 10_000 });
  const records = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; level: number });
  return { ...r, records, dir, pid, vrrpPid };
}

describe.skipIf(!existsSync(cli))('keepalived-ts daemon start-up', () => {
  it.skipIf(!isRoot)('compat difference: without -P a config with virtual_server blocks is refused (exit 1), no pid file left', () => {
    const r = daemon(['-f', 'conf/c2-keepalived.conf']);
    expect(r.status).toBe(1);
    expect(r.records.map((x) => x.msg)).toContain('the health-checker subsystem is not implemented yet: run with -P (--vrrp) to run VRRP only');
    expect(existsSync(r.pid)).toBe(false);
  });

  it.skipIf(!isRoot)('a missing config file is fatal (exit 1)', () => {
    const r = daemon(['-P', '-f', '/nonexistent/keepalived.conf']);
    expect(r.status).toBe(1);
    expect(r.records.find((x) => x.level === 60)?.msg).toBe('Configuration file does not exist or cannot be read');
  });

  it.skipIf(!isRoot)('refuses to start when its pid file names a running process ("daemon is already running")', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kts-daemon-'));
    const pid = path.join(dir, 'keepalived.pid');
    writeFileSync(pid, `${process.pid}\n`);
    const conf = path.join(dir, 'k.conf');
    writeFileSync(conf, 'global_defs {\n  router_id t\n}\n');
    const r = spawnSync(process.execPath, [cli, '-n', '-P', '-f', conf, '-p', pid, '-r', path.join(dir, 'vrrp.pid')], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/daemon is already running/);
    expect(readFileSync(pid, 'utf8')).toBe(`${process.pid}\n`);
  });

  it.skipIf(isRoot)('refuses to run without root, with exit status 4 (keepalived: missing permission)', () => {
    const r = daemon(['-P', '-f', 'conf/c2-keepalived.conf']);
    expect(r.status).toBe(4);
  });
});
