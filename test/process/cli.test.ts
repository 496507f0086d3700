/** The built CLI as an operator runs it (npm test builds dist/ first). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
const keepalived = ['/usr/sbin/keepalived', '/sbin/keepalived'].find((p) => existsSync(p));

// `npm test` builds first, so a missing build output is a bug to report, not a reason to skip.
for (const f of [cli]) if (!existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run \`npm run build\` first`);

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

/** An expression over the bin's exports (scripts/bin.cjs), evaluated in a child Node as an operator's Node would. */
const fromBin = (bin: string, expr: string): string =>
  spawnSync(process.execPath, ['-e', `const bin = require(${JSON.stringify(bin)}); process.stdout.write(String(${expr}))`], { encoding: 'utf8' }).stdout;
const binCache = (bin: string): string => fromBin(bin, 'bin.compile().cache');

describe('the bundled bin (docs/adr/002-bundled-bin.md, 004-code-cache.md)', () => {
  it('-t loads no daemon code: neither pino nor the native socket addon', () => {
    const d = tempDir();
    const out = path.join(d, 'loaded.json');
    const preload = path.join(d, 'preload.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = spawnSync(process.execPath, ['-r', preload, cli, '-t', '-i', 'dirA', '-f', 'conf/examples/lvs-dr.conf'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(loaded.some((f) => /keepalived-ts-main-[0-9a-f]+\.cjs$/.test(f))).toBe(false); // compiled by the bin, not required
    expect(loaded.filter((f) => /[\\/]pino[\\/]|\.node$/.test(f))).toEqual([]);
    // The daemon path does load them: the check above can see them.
    const daemon = spawnSync(process.execPath, ['-r', preload, cli, '-f', '/nonexistent/keepalived.conf', '-P', '-n', '-p', path.join(d, 'p.pid'), '-r', path.join(d, 'v.pid')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(daemon.status).not.toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as string[]).some((f) => /[\\/]pino[\\/]/.test(f))).toBe(true);
  });

  it('the build made a code cache that V8 accepts', () => {
    expect(binCache(cli)).toBe('accepted');
  });

  it('a damaged code cache is refused and the bundle runs as compiled from source', () => {
    const d = tempDir();
    mkdirSync(path.join(d, 'dist/cli'), { recursive: true });
    copyFileSync(path.join(root, 'package.json'), path.join(d, 'package.json'));
    const bundle = path.basename(fromBin(cli, 'bin.BUNDLE'));
    expect(bundle).toMatch(/^keepalived-ts-main-[0-9a-f]{12}\.cjs$/);
    expect(path.basename(fromBin(cli, 'bin.CACHE'))).toBe(`${bundle}.cache`);
    const bin = path.join(d, 'dist/cli/keepalived-ts.cjs');
    copyFileSync(cli, bin);
    copyFileSync(path.join(root, 'dist/cli', bundle), path.join(d, 'dist/cli', bundle));
    // Past V8's header, in the payload: only the checksum can tell (without it, node crashed).
    const cache = readFileSync(path.join(root, 'dist/cli', `${bundle}.cache`));
    cache.fill(0x5a, 64, 4096);
    writeFileSync(path.join(d, 'dist/cli', `${bundle}.cache`), cache);
    expect(binCache(bin)).toBe('rejected');
    const r = spawnSync(process.execPath, [bin, '-t', '-f', path.join(root, 'conf/c2-keepalived.conf')], { encoding: 'utf8' });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/Unknown keyword 'nb_get_retry'/);
  });
});
