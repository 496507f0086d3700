import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sysfsLink } from './garp.js';

describe('sysfsLink', () => {
  it('reads ifindex, MAC and the NOARP flag the way /sys/class/net lays them out', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kts-sys-'));
    const dir = (name: string, flags: string, mac: string, ifindex: string) => {
      mkdirSync(path.join(root, name));
      writeFileSync(path.join(root, name, 'flags'), `${flags}\n`);
      writeFileSync(path.join(root, name, 'address'), `${mac}\n`);
      writeFileSync(path.join(root, name, 'ifindex'), `${ifindex}\n`);
    };
    dir('eth0', '0x1003', '02:00:00:00:00:11', '2');
    dir('tun0', '0x10d1', '', '7');
    expect(sysfsLink('eth0', root)).toEqual({ name: 'eth0', ifindex: 2, mac: '02:00:00:00:00:11', isNoArp: false });
    expect(sysfsLink('tun0', root)?.isNoArp).toBe(true);
    expect(sysfsLink('nope0', root)).toBeUndefined();
    rmSync(root, { recursive: true, force: true });
  });

  it('never looks up a name the kernel could not have: no path out of the directory', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'kts-sys-'));
    const root = path.join(base, 'net');
    mkdirSync(root);
    mkdirSync(path.join(base, 'evil'));
    for (const [f, v] of [['flags', '0x1003'], ['address', '02:00:00:00:00:66'], ['ifindex', '6']]) writeFileSync(path.join(base, 'evil', f as string), `${v}\n`);
    mkdirSync(path.join(root, 'ok0'));
    for (const [f, v] of [['flags', '0x1003'], ['address', '02:00:00:00:00:66'], ['ifindex', '6']]) writeFileSync(path.join(root, 'ok0', f as string), `${v}\n`);
    expect(sysfsLink('ok0', root)?.ifindex).toBe(6);
    expect(sysfsLink('../evil', root)).toBeUndefined();
    rmSync(base, { recursive: true, force: true });
  });

  it('reads this machine\'s loopback', () => {
    expect(sysfsLink('lo')).toMatchObject({ ifindex: 1, mac: '00:00:00:00:00:00' });
  });
});
