/** The built CLI as an operator runs it (npm test builds dist/ first). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
const keepalived = ['/usr/sbin/keepalived', '/sbin/keepalived'].find((p) => existsSync(p));
const metaPath = path.join(root, 'dist/cli/keepalived-ts.meta.json');

// `npm test` builds first, so a missing build output is a bug to report, not a reason to skip.
for (const f of [cli, metaPath]) if (!existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run \`npm run build\` first`);

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'kts-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('keepalived-ts CLI', () => {
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
    const d = tempDir();
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
    const d = tempDir();
    const out = path.join(d, 'msgs');
    const r = run('--config-test', out, '-f', 'conf/c2-keepalived.conf');
    expect(r.status).toBe(5);
    expect(r.stderr).toBe('');
    expect(spawnSync('cat', [out], { encoding: 'utf8' }).stdout).toMatch(/nb_get_retry/);
  });
});

/** esbuild's metafile of the bundled bin (scripts/bundle.mjs): what each output holds and imports. */
interface BundleMeta {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}

describe('the bundled bin (docs/adr/002-bundled-bin.md)', () => {
  it('-t loads no daemon code: the daemon, sockets and pino are reached only through a dynamic import', () => {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as BundleMeta;
    const entry = 'dist/cli/keepalived-ts.mjs';
    // Everything the entry loads before it runs: static imports, transitively.
    const loaded = new Set<string>();
    const walk = (out: string): void => {
      if (loaded.has(out)) return;
      loaded.add(out);
      for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) walk(i.path);
    };
    walk(entry);
    const inputs = [...loaded].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
    const externals = [...loaded].flatMap((o) => (meta.outputs[o]?.imports ?? []).filter((i) => i.external && i.kind === 'import-statement').map((i) => i.path));
    expect(inputs).toContain('dist/config/load.js');
    expect(inputs.filter((f) => /^dist\/(daemon|net|vrrp|script|track)\//.test(f))).toEqual([]);
    expect(externals).not.toContain('pino');
    // …and the daemon is still in the bundle, one dynamic import away.
    const lazy = (meta.outputs[entry]?.imports ?? []).filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
    expect(lazy.some((o) => 'dist/daemon/main.js' in (meta.outputs[o]?.inputs ?? {}))).toBe(true);
  });
});
