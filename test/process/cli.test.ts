/** The built CLI as an operator runs it (npm test builds dist/ first). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
const keepalived = ['/usr/sbin/keepalived', '/sbin/keepalived'].find((p) => existsSync(p));

describe.skipIf(!existsSync(cli))('keepalived-ts CLI', () => {
  it.each(['conf/c2-keepalived.conf', 'conf/c5-keepalived.conf'])(
    'seed config %s: exit 5 like keepalived, with a hint that retry is meant',
    (file) => {
      const r = run('-t', '-f', file);
      expect(r.status).toBe(5);
      expect(r.stderr).toMatch(new RegExp(`${file}:40:1: error KA_CFG_UNKNOWN_KEYWORD: Unknown keyword 'nb_get_retry'`));
      expect(r.stderr).toMatch(/hint: did you mean 'retry'\?/);
      expect(r.stderr).toMatch(new RegExp(`${file}:56:1: error KA_CFG_EXTRA_EOB: Extra '\\}' found`));
    },
  );

  it.skipIf(!keepalived)('seed config: same status as the installed keepalived -t', () => {
    const ours = run('-t', '-f', 'conf/c5-keepalived.conf');
    const theirs = spawnSync(keepalived ?? '', ['-t', '-f', path.join(root, 'conf/c5-keepalived.conf')], { encoding: 'utf8' });
    expect(ours.status).toBe(theirs.status);
  });

  it('clean example configs exit 0', () => {
    const r = run('-t', '-i', 'dirA', '-f', 'conf/examples/lvs-dr.conf');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('compat difference: a missing config file exits 4 (keepalived -t: 0)', () => {
    const r = run('-t', '-f', '/nonexistent/keepalived.conf');
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/Unable to find configuration file/);
  });

  it('a missing mandatory parameter exits 2 at its line', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'kts-'));
    const f = path.join(d, 'k.conf');
    writeFileSync(f, 'vrrp_instance A {\n  interface\n}\n');
    const r = run('-t', '-f', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}:2:3: fatal KA_CFG_MISSING_PARAMETER`);
  });

  it('--dump-conf prints the resolved model as JSON', () => {
    const r = run('--dump-conf', '-f', 'conf/examples/lvs-dr.conf');
    const j = JSON.parse(r.stdout) as { version: number; lvs: { virtualServers: { realServers: { checkers: { type: string; retry: number }[] }[] }[] } };
    expect(j.version).toBe(1);
    const chk = j.lvs.virtualServers[0]?.realServers[0]?.checkers[0];
    expect(chk).toMatchObject({ type: 'HTTP_GET', retry: 3 });
  });

  it('-t=FILE appends the messages to FILE', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'kts-'));
    const out = path.join(d, 'msgs');
    const r = run('--config-test', out, '-f', 'conf/c2-keepalived.conf');
    expect(r.status).toBe(5);
    expect(r.stderr).toBe('');
    expect(spawnSync('cat', [out], { encoding: 'utf8' }).stdout).toMatch(/nb_get_retry/);
  });
});
