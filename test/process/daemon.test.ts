/**
 * The daemon as an operator meets it: start-up refusals and exit statuses, pid
 * files, signals during start-up, SIGUSR2 stats, umask. Every daemon run as root
 * is inside a throwaway network namespace (`unshare -n`: only a down `lo`), so a
 * broken refusal can never speak VRRP or touch addresses on this host; configs
 * that need addresses use 192.0.2.0/24 (RFC 5737).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.cjs');
const isRoot = process.getuid?.() === 0;
const ipPath = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p));

const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  // A missing build must fail, not skip: these tests are the only check of the daemon's exit statuses.
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
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

/** A daemon left running: wait for a log message, send signals, collect the exit. */
function start(w: ReturnType<typeof workdir>, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const [cmd, a] = argv(w, args);
  // `unshare` without --fork execs node in place, so signals reach the daemon itself.
  const child = spawn(cmd, a, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const records = () => parseRecords(stdout);
  return {
    child,
    records,
    stderr: () => stderr,
    exited,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    async waitFor(msg: string): Promise<Record> {
      for (;;) {
        const hit = records().find((r) => r.msg === msg);
        if (hit !== undefined) return hit;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`daemon exited before '${msg}':\n${stdout}${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          void exited.then(() => resolve());
        });
      }
    },
  };
}

const EMPTY_CONF = 'global_defs {\n  router_id kts-test\n}\n';
const statsMode = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(!isRoot)('keepalived-ts daemon start-up (needs root; each run in a throwaway network namespace)', () => {
  it('compat difference: without -P a config with virtual_server blocks is refused (exit 1), no pid file left', () => {
    const w = workdir({ 'k.conf': 'virtual_server 192.0.2.10 80 {\n  real_server 192.0.2.11 80 {\n  }\n}\n' });
    const r = runOnce(w, ['-f', w.file('k.conf')]);
    expect(r.status).toBe(1);
    expect(r.records.map((x) => x.msg)).toContain('the health-checker subsystem is not implemented yet: run with -P (--vrrp) to run VRRP only');
    expect(existsSync(w.pid)).toBe(false);
  });

  it('keepalived compat: a missing config file exits 6 (KEEPALIVED_EXIT_NO_CONFIG)', () => {
    const w = workdir();
    const r = runOnce(w, ['-P', '-f', w.file('missing.conf')]);
    expect(r.status).toBe(6);
    expect(r.records.find((x) => x.level === 60)?.msg).toBe('Configuration file does not exist or cannot be read');
    expect(existsSync(w.pid)).toBe(false);
  });

  it.each<[string, string, string[]]>([
    ['a failed includea', 'includea /nonexistent/kts.conf\n', []],
    ['a failed include under -e (--all-config)', 'include /nonexistent/kts.conf\n', ['-e']],
  ])('keepalived compat: %s exits 6 and runs nothing', (_, conf, flags) => {
    const w = workdir({ 'k.conf': EMPTY_CONF + conf });
    const r = runOnce(w, [...flags, '-P', '-f', w.file('k.conf')]);
    expect(r.status).toBe(6);
    expect(r.records.map((x) => x.msg)).not.toContain('Startup complete');
    expect(existsSync(w.pid)).toBe(false);
  });

  it('keepalived compat: a keyword missing its parameter exits 2 (KEEPALIVED_EXIT_CONFIG), the partial config not run', () => {
    const w = workdir({
      'k.conf': 'vrrp_instance VI_1 {\n  interface lo\n  virtual_router_id\n  priority 100\n  virtual_ipaddress {\n    192.0.2.1/32\n  }\n}\n',
    });
    const r = runOnce(w, ['-P', '-f', w.file('k.conf')]);
    expect(r.status).toBe(2);
    expect(r.records.map((x) => x.msg)).not.toContain('Startup complete');
    expect(existsSync(w.pid)).toBe(false);
  });

  it.each(['main', 'vrrp'] as const)(
    'keepalived compat: a %s pid file naming a running process: "daemon is already running", exit 0, no pid file written',
    (which) => {
      const w = workdir({ 'k.conf': EMPTY_CONF });
      const live = which === 'main' ? w.pid : w.vrrpPid;
      const other = which === 'main' ? w.vrrpPid : w.pid;
      writeFileSync(live, `${process.pid}\n`);
      const r = runOnce(w, ['-P', '-f', w.file('k.conf')]);
      expect(r.status).toBe(0);
      expect(r.records.map((x) => x.msg)).toContain('daemon is already running');
      expect(r.records.map((x) => x.msg)).not.toContain('Stopped keepalived-ts');
      expect(readFileSync(live, 'utf8')).toBe(`${process.pid}\n`);
      expect(existsSync(other)).toBe(false);
    },
  );

  it('with nothing to run it keeps running until SIGTERM, then removes its pid files (exit 0)', async () => {
    const w = workdir({ 'k.conf': EMPTY_CONF });
    const d = start(w, ['-P', '-f', w.file('k.conf')]);
    await d.waitFor('Startup complete');
    await new Promise((r) => setTimeout(r, 300));
    expect(d.child.exitCode).toBeNull();
    const pid = readFileSync(w.pid, 'utf8');
    expect(pid).toBe(`${d.child.pid}\n`);
    expect(statSync(w.pid).mode & 0o777).toBe(0o644);
    d.kill('SIGTERM');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(w.pid)).toBe(false);
    expect(existsSync(w.vrrpPid)).toBe(false);
  });

  describe.skipIf(ipPath === undefined)('signals during start-up (a slow `ip` on PATH holds start-up open)', () => {
    /** An `ip` that says it was called, then waits 1 s before running the real one. */
    function slowIp(w: ReturnType<typeof workdir>): { env: NodeJS.ProcessEnv; called: string } {
      const called = w.file('ip-called');
      const bin = w.file('bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'ip'), `#!/bin/sh\ntouch '${called}'\nsleep 1\nexec '${ipPath}' "$@"\n`);
      chmodSync(path.join(bin, 'ip'), 0o755);
      return { env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` }, called };
    }

    async function untilExists(file: string): Promise<void> {
      while (!existsSync(file)) await new Promise((r) => setTimeout(r, 20));
    }

    /** A daemon caught in start-up: its first `ip` call has begun and takes a second. */
    async function startingSlowly() {
      const w = workdir({ 'k.conf': EMPTY_CONF });
      const ip = slowIp(w);
      const d = start(w, ['-P', '-f', w.file('k.conf')], ip.env);
      await untilExists(ip.called);
      return { w, d };
    }

    it('SIGHUP and SIGUSR2 do not kill it; SIGTERM stops it once started (exit 0, pid files removed)', async () => {
      const { w, d } = await startingSlowly();
      d.kill('SIGHUP');
      d.kill('SIGUSR2');
      d.kill('SIGTERM');
      expect(await d.exited).toEqual({ code: 0, signal: null });
      const msgs = d.records().map((r) => r.msg);
      expect(msgs).toContain('stop requested during start-up: stopping once started');
      expect(msgs.indexOf('Stopping')).toBeGreaterThan(msgs.indexOf('Startup complete'));
      expect(msgs.at(-1)).toBe('Stopped keepalived-ts');
      expect(existsSync(w.pid)).toBe(false);
    });

    it('a second SIGTERM during start-up exits at once (exit 1), pid files removed', async () => {
      const { w, d } = await startingSlowly();
      d.kill('SIGTERM');
      await d.waitFor('stop requested during start-up: stopping once started');
      d.kill('SIGTERM');
      expect(await d.exited).toEqual({ code: 1, signal: null });
      expect(d.records().map((r) => r.msg)).not.toContain('Startup complete');
      expect(existsSync(w.pid)).toBe(false);
    });
  });

  it('track_file init_file: writes a missing file, keeps an existing one, overwrites only with `overwrite`, refuses a directory, writes a repeated name\'s file too', async () => {
    const w = workdir({ 'keep.track': '1\n', 'over.track': '1\n' });
    mkdirSync(w.file('adir'));
    const conf = [
      EMPTY_CONF,
      `track_file tf_new {\n  file ${w.file('new.track')}\n  init_file 7\n}`,
      `track_file tf_keep {\n  file ${w.file('keep.track')}\n  init_file 9\n}`,
      `track_file tf_over {\n  file ${w.file('over.track')}\n  init_file 3 overwrite\n}`,
      `track_file tf_dir {\n  file ${w.file('adir')}\n  init_file overwrite\n}`,
      // keepalived initialises every block's file; a repeated name only loses lookups
      `track_file tf_new {\n  file ${w.file('dup.track')}\n  init_file 8\n}`,
    ].join('\n');
    writeFileSync(w.file('k.conf'), `${conf}\n`);
    const d = start(w, ['-P', '-f', w.file('k.conf')]);
    await d.waitFor('Startup complete');
    expect(readFileSync(w.file('new.track'), 'utf8')).toBe('7\n');
    // keepalived: fopen_safe() — mode 0666 & ~umask (default umask 0177)
    expect(statSync(w.file('new.track')).mode & 0o777).toBe(0o600);
    expect(readFileSync(w.file('keep.track'), 'utf8')).toBe('1\n');
    expect(readFileSync(w.file('over.track'), 'utf8')).toBe('3\n');
    expect(statSync(w.file('adir')).isDirectory()).toBe(true);
    expect(readFileSync(w.file('dup.track'), 'utf8')).toBe('8\n');
    // reported once, by the config reader, with the other configuration problems
    const refused = d.records().filter((r) => JSON.stringify(r).includes('Cannot initialise track file tf_dir - it is not a regular file'));
    expect(refused.map((r) => r.msg)).toEqual(['configuration problem']);
    d.kill('SIGTERM');
    expect(await d.exited).toEqual({ code: 0, signal: null });
  });

  describe('SIGUSR2: $TMPDIR/keepalived.stats (keepalived: fopen_safe)', () => {
    async function usr2Stats(args: readonly string[], conf: string) {
      const w = workdir({ 'k.conf': conf, victim: 'not yours\n' });
      const tmp = w.file('tmp');
      mkdirSync(tmp);
      const stats = path.join(tmp, 'keepalived.stats');
      symlinkSync(w.file('victim'), stats);
      const d = start(w, ['-P', '-f', w.file('k.conf'), ...args], { TMPDIR: tmp });
      await d.waitFor('Startup complete');
      d.kill('SIGUSR2');
      await d.waitFor('Printing VRRP stats');
      d.kill('SIGTERM');
      await d.exited;
      return { w, stats, d };
    }

    it('replaces a symlink planted at the name instead of writing through it', async () => {
      const { w, stats } = await usr2Stats([], EMPTY_CONF);
      expect(readFileSync(w.file('victim'), 'utf8')).toBe('not yours\n');
      expect(lstatSync(stats).isFile()).toBe(true);
      expect(statsMode(stats)).toBe(0o600);
    });

    it.each<[string, string[], string, number]>([
      ['the default umask 0177', [], '', 0o600],
      ['-u 0x12 (strtoll base 0, not octal-only)', ['-u', '0x12'], '', 0o644],
      ["global_defs umask 0027 when -u is not given", [], 'global_defs {\n  umask 0027\n}\n', 0o640],
      ['-u 077 over global_defs umask 0027', ['-u', '077'], 'global_defs {\n  umask 0027\n}\n', 0o600],
    ])('keepalived compat: mode 0666 & ~umask under %s', async (_, args, conf, mode) => {
      const { stats: file, d } = await usr2Stats(args, conf || EMPTY_CONF);
      expect(statsMode(file)).toBe(mode);
      if (args.length > 0 && conf !== '') expect(d.records().map((r) => r.msg)).toContain('umask command line option specified, ignoring config option');
    });

    it.each(['-1', '0x12z', '01000'])('keepalived compat: -u %s is "Invalid --umask option" and ignored; the config umask applies', async (bad) => {
      const { stats: file, d } = await usr2Stats(['-u', bad], 'global_defs {\n  umask 0027\n}\n');
      expect(d.stderr()).toContain(`Invalid --umask option ${bad}`);
      expect(statsMode(file)).toBe(0o640);
    });
  });
});

describe.skipIf(isRoot)('keepalived-ts daemon as a non-root user (skipped as root)', () => {
  it('refuses to run without root, with exit status 4 (keepalived: missing permission)', () => {
    const w = workdir({ 'k.conf': EMPTY_CONF });
    const r = runOnce(w, ['-P', '-f', w.file('k.conf')]);
    expect(r.status).toBe(4);
  });
});
