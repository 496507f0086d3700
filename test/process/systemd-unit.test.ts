/** systemd/keepalived-ts.service: systemd accepts it, and it starts our CLI with flags it knows. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const unitPath = path.join(root, 'systemd/keepalived-ts.service');
const unit = readFileSync(unitPath, 'utf8');
const cli = path.join(root, 'dist/cli/keepalived-ts.mjs');
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];

describe('systemd unit', () => {
  it('runs in the foreground, VRRP only, conflicting with keepalived, with a reduced capability set', () => {
    expect(value('ExecStart')).toBe('/usr/local/bin/keepalived-ts --dont-fork --vrrp $DAEMON_ARGS');
    expect(value('Conflicts')).toBe('keepalived.service');
    expect(value('CapabilityBoundingSet')?.split(' ').sort()).toEqual(
      ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID'].sort(),
    );
  });

  it.skipIf(!existsSync(cli))('its ExecStart flags are ones our CLI accepts', () => {
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const flag of (value('ExecStart') ?? '').split(' ').filter((w) => w.startsWith('--'))) expect(r.stdout).toContain(flag);
  });

  it.skipIf(analyze === undefined)('systemd-analyze verify accepts it (ExecStart pointed at this checkout)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kts-unit-'));
    const copy = path.join(dir, 'keepalived-ts.service');
    writeFileSync(copy, unit.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath} ${cli}`));
    const r = spawnSync(analyze ?? '', ['verify', copy], { encoding: 'utf8' });
    // Only problems with our file count; the host's other units are not our business.
    const ours = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('keepalived-ts.service'));
    expect(ours).toEqual([]);
  });
});
