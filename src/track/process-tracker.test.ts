import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTrackProcess, type TrackProcess } from '../config/schema/vrrp-track.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createProcProcessLister } from './proc-process-lister.js';
import type { ProcessInfo } from './process-match.js';
import { ProcessTracker, type ProcessLister } from './process-tracker.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

const track = (name: string, process: string, over: Partial<TrackProcess> = {}): TrackProcess => ({
  ...defaultTrackProcess(name, process),
  ...over,
});

const nginx: ProcessInfo = { comm: 'nginx', cmdline: '/usr/sbin/nginx\0' };
const haproxy: ProcessInfo = { comm: 'haproxy', cmdline: 'haproxy\0-f\0/etc/haproxy.cfg\0' };

function setup(lister?: ProcessLister) {
  const clock = new ManualClock();
  const running: ProcessInfo[] = [];
  const reports: string[] = [];
  const errors: unknown[] = [];
  let listed = 0;
  const tracker = new ProcessTracker(
    {
      clock,
      listProcesses:
        lister ??
        (async () => {
          listed++;
          return [...running];
        }),
      onChange: (name, status, matches) => reports.push(`${clock.now()} ${name} ${status.type} ${matches}`),
      onError: (err) => errors.push(err),
    },
    { processes: [track('web', 'nginx'), track('lb', 'haproxy', { quorum: 2, quorumMax: 2 })] },
  );
  return { clock, running, reports, errors, tracker, listed: () => listed };
}

describe('ProcessTracker (ManualClock, listed processes)', () => {
  it('reports the first observation of every process, then only changes (listed every second)', async () => {
    const h = setup();
    h.running.push(nginx);
    await expect(h.tracker.start()).resolves.toEqual(
      new Map([
        ['web', { type: 'up' }],
        ['lb', { type: 'down' }],
      ]),
    );
    h.clock.advance(1_000);
    await flush();
    h.running.push(haproxy, haproxy);
    h.clock.advance(1_000);
    await flush();
    h.running.push(haproxy); // three: above quorum_max
    h.running.splice(0, 1); // nginx gone
    h.clock.advance(1_000);
    await flush();
    expect(h.reports).toEqual(['0 web up 1', '0 lb down 0', '2000 lb up 2', '3000 web down 0', '3000 lb down 3']);
    expect(h.tracker.status('web')).toEqual({ type: 'down' });
    expect(h.tracker.status('nope')).toBeUndefined();
    h.tracker.stop();
  });

  it('a failed listing changes nothing and is reported; the next one runs as usual', async () => {
    let fail = true;
    const h = setup(async () => {
      if (fail) throw new Error('EMFILE');
      return [nginx];
    });
    await expect(h.tracker.start()).resolves.toEqual(new Map());
    expect(h.errors).toHaveLength(1);
    fail = false;
    h.clock.advance(1_000);
    await flush();
    expect(h.reports).toEqual(['1000 web up 1', '1000 lb down 0']);
    h.tracker.stop();
  });

  it('a slow listing is not stacked: polls while it is in flight do nothing', async () => {
    let calls = 0;
    let finish: (procs: ProcessInfo[]) => void = () => {};
    const h = setup(() => {
      calls++;
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    const started = h.tracker.start();
    h.clock.advance(3_000);
    expect(calls).toBe(1);
    finish([nginx]);
    await started;
    expect(h.reports).toEqual(['3000 web up 1', '3000 lb down 0']);
    h.clock.advance(1_000);
    expect(calls).toBe(2);
    h.tracker.stop();
  });

  it('after stop() nothing is listed or reported, not even a listing in flight', async () => {
    let finish: (procs: ProcessInfo[]) => void = () => {};
    const h = setup(
      () =>
        new Promise((resolve) => {
          finish = resolve;
        }),
    );
    const started = h.tracker.start();
    h.tracker.stop();
    expect(h.clock.pendingTimers).toBe(0);
    finish([nginx]);
    await started;
    expect(h.reports).toEqual([]);
  });
});

describe('createProcProcessLister (a fake /proc)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ka-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const proc = (pid: string, stat: string, cmdline?: string): void => {
    mkdirSync(path.join(root, pid));
    writeFileSync(path.join(root, pid, 'stat'), stat);
    if (cmdline !== undefined) writeFileSync(path.join(root, pid, 'cmdline'), cmdline);
  };

  it('lists comm and cmdline; skips zombies, non-pid entries and processes gone mid-read', async () => {
    proc('1', '1 (systemd) S 0 1 1', '/sbin/init\0');
    proc('42', '42 (my (odd) name) R 1 42 42', 'odd\0x\0');
    proc('43', '43 (defunct) Z 1 43 43', '');
    proc('44', '44 (vanished) S 1 44 44'); // no cmdline: exited while being read
    mkdirSync(path.join(root, 'self'));
    const procs = await createProcProcessLister(root)();
    expect([...procs].sort((a, b) => a.comm.localeCompare(b.comm))).toEqual([
      { comm: 'my (odd) name', cmdline: 'odd\0x\0' },
      { comm: 'systemd', cmdline: '/sbin/init\0' },
    ]);
  });

  it('the real /proc lists this process', async () => {
    const procs = await createProcProcessLister()();
    expect(procs.some((p) => p.comm === 'node' || p.cmdline.includes('node'))).toBe(true);
  });
});
