/** systemd/keepalived-ts.service: systemd accepts it, and it starts our CLI with flags it knows. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const unitPath = path.join(root, 'systemd/keepalived-ts.service');
const unit = readFileSync(unitPath, 'utf8');
const cli = path.join(root, 'dist/cli/keepalived-ts.cjs');
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

// `npm test` builds first, so a missing build output is a bug to report, not a reason to skip.
if (!existsSync(cli)) throw new Error('dist/cli/keepalived-ts.cjs is missing: run `npm run build` first');

const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
const execStart = (value('ExecStart') ?? '').split(' ');

describe('systemd unit', () => {
  it('ExecStart runs the package bin in the foreground (Type=simple), with DAEMON_ARGS from its EnvironmentFile', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(path.basename(execStart[0] ?? ''));
    // Type=simple: the process systemd starts is the daemon; a forking one would look like it exited.
    expect(value('Type')).toBe('simple');
    expect(execStart).toContain('--dont-fork');
    if (execStart.includes('$DAEMON_ARGS')) expect(value('EnvironmentFile')).toMatch(/^-?\//);
  });

  it('its ExecStart flags are ones our CLI accepts', () => {
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    const flags = execStart.filter((w) => w.startsWith('--'));
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(r.stdout).toMatch(new RegExp(`(^|[\\s,])${flag}(\\s|$)`, 'm'));
  });

  it.skipIf(analyze === undefined)('systemd-analyze verify accepts it (ExecStart pointed at this checkout)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kts-unit-'));
    try {
      const copy = path.join(dir, 'keepalived-ts.service');
      writeFileSync(copy, unit.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath} ${cli}`));
      const r = spawnSync(analyze ?? '', ['verify', copy], { encoding: 'utf8' });
      // Only problems with our file count; the host's other units are not our business.
      const ours = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('keepalived-ts.service'));
      expect(ours).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
