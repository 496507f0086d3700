import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { isLinkUp, type LinkSample, LinkTracker } from './link-tracker.js';
import { createSysfsLinkReader } from './sysfs-link-reader.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const sample = (flags: string, operstate: string): LinkSample => ({ flags: `${flags}\n`, operstate: `${operstate}\n` });

describe('isLinkUp (keepalived IF_ISUP: IFF_UP and IFF_RUNNING)', () => {
  it.each<[string, LinkSample | undefined, boolean]>([
    ['up with carrier (eth0: 0x1003 up)', sample('0x1003', 'up'), true],
    ['loopback and dummies report operstate unknown, which counts as running', sample('0x9', 'unknown'), true],
    ['up without carrier', sample('0x1003', 'down'), false],
    ['administratively down', sample('0x1002', 'down'), false],
    ['down even if operstate were stale', sample('0x1002', 'up'), false],
    ['dormant is not running', sample('0x1003', 'dormant'), false],
    ['lower layer down (a VLAN whose parent lost carrier)', sample('0x1003', 'lowerlayerdown'), false],
    ['IFF_RUNNING in the flags is honoured if present', sample('0x1043', 'down'), true],
    ['garbage flags', sample('zz', 'up'), false],
    ['a missing interface is down', undefined, false],
  ])('%s', (_name, s, expected) => {
    expect(isLinkUp(s)).toBe(expected);
  });
});

function setup(links: Record<string, LinkSample>) {
  const clock = new ManualClock();
  const state = new Map(Object.entries(links));
  const reports: string[] = [];
  let reads = 0;
  let isHung = false;
  const tracker = new LinkTracker(
    {
      clock,
      readLink: (ifname) => {
        reads++;
        return isHung ? new Promise(() => {}) : Promise.resolve(state.get(ifname));
      },
      onChange: (ifname, s) => reports.push(`${ifname} ${s.type}`),
    },
    { interfaces: ['eth0', 'eth1', 'gone0'], pollIntervalMs: 100 },
  );
  return { clock, state, reports, tracker, reads: () => reads, hang: () => (isHung = true) };
}

describe('LinkTracker (ManualClock, fake reader)', () => {
  it('reports the first observation of each interface, then only changes', async () => {
    const t = setup({ eth0: sample('0x1003', 'up'), eth1: sample('0x1003', 'down') });
    const first = await t.tracker.start();
    expect(Object.fromEntries([...first].map(([k, v]) => [k, v.type]))).toEqual({ eth0: 'up', eth1: 'down', gone0: 'down' });
    expect(t.reports).toEqual(['eth0 up', 'eth1 down', 'gone0 down']);
    t.clock.advance(100);
    await flush();
    expect(t.reports).toHaveLength(3);
    t.state.set('eth0', sample('0x1003', 'down'));
    t.state.set('eth1', sample('0x1003', 'up'));
    t.clock.advance(99);
    await flush();
    expect(t.reports).toHaveLength(3);
    t.clock.advance(1);
    await flush();
    expect(t.reports.slice(3)).toEqual(['eth0 down', 'eth1 up']);
    expect(t.tracker.status('eth0')).toEqual({ type: 'down' });
  });

  it('an interface that disappears goes down', async () => {
    const t = setup({ eth0: sample('0x1003', 'up'), eth1: sample('0x1003', 'up') });
    await t.tracker.start();
    t.state.delete('eth1');
    t.clock.advance(100);
    await flush();
    expect(t.reports.at(-1)).toBe('eth1 down');
  });

  it('never overlaps polls while the file system is slow', async () => {
    const t = setup({});
    t.hang();
    void t.tracker.start();
    await flush();
    expect(t.reads()).toBe(3);
    t.clock.advance(1_000);
    await flush();
    expect(t.reads()).toBe(3);
  });

  it('stop() ends polling', async () => {
    const t = setup({ eth0: sample('0x1003', 'up') });
    await t.tracker.start();
    t.tracker.stop();
    t.state.delete('eth0');
    t.clock.advance(1_000);
    await flush();
    expect(t.reports).not.toContain('eth0 down');
  });
});

describe('createSysfsLinkReader', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ka-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads flags and operstate under the given root; a missing interface is undefined', async () => {
    mkdirSync(path.join(root, 'eth9'));
    writeFileSync(path.join(root, 'eth9', 'flags'), '0x1003\n');
    writeFileSync(path.join(root, 'eth9', 'operstate'), 'up\n');
    const read = createSysfsLinkReader(root);
    const s = await read('eth9');
    expect(s).toEqual({ flags: '0x1003\n', operstate: 'up\n' });
    expect(isLinkUp(s)).toBe(true);
    expect(await read('nope0')).toBeUndefined();
    expect(await read('../eth9')).toBeUndefined();
  });

  it('reads the real /sys/class/net (lo always exists)', async () => {
    const read = createSysfsLinkReader();
    const lo = await read('lo');
    expect(lo?.flags).toMatch(/^0x[0-9a-f]+\n$/);
    expect(await read('ka-no-such-if0')).toBeUndefined();
  });
});
