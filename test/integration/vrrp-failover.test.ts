// Issue 3, acceptance 1–3: a director pair where one side (or both) is our daemon. In each pairing:
// one VIP holder; hard kill → takeover at Master_Down_Interval; preemption back after a restart;
// SIGTERM → priority-0 advert → takeover after the skew time; a cut link → takeover; GARP after every
// takeover. Asserts on kernel state (`ip addr`) and on a bridge capture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PcapFrame } from '../../src/testing/pcap.js';
import { type Capture, createLab, type Lab, type LabProcess, keepalivedConf, labPrerequisites, removeAddress, sweepStaleLabs, waitFor } from './lab.js';
import { advertsFrom, type DirectorKind, expectCrashTakeover, garpsFrom, holders as holdersOf, masterDownMs, skewMs, sleep, startDirector, takeover, takeoverWindowMs, vrrpHead } from './directors.js';

const missing = labPrerequisites();
if (missing.length > 0) console.warn(`test/integration/vrrp-failover.test.ts SKIPPED: ${missing.join('; ')}`);

const VIP = '192.0.2.100';
const pairings: ReadonlyArray<readonly [DirectorKind, DirectorKind]> = [
  ['keepalived', 'ours'],
  ['ours', 'keepalived'],
  ['ours', 'ours'],
];

describe.skipIf(missing.length > 0).each(pairings)('MASTER %s (100) + BACKUP %s (80)', (masterKind, backupKind) => {
  let lab: Lab<'a' | 'b'>;
  let procA: LabProcess | undefined;
  let procB: LabProcess | undefined;
  let capture: Capture | undefined;
  const confA = keepalivedConf('c2', 'MASTER', 100);
  const confB = keepalivedConf('c5', 'BACKUP', 80);
  const holders = (): Promise<string> => holdersOf(lab.hosts, VIP);
  const stopCapture = async (): Promise<PcapFrame[]> => {
    const c = capture;
    capture = undefined;
    if (c === undefined) throw new Error('no capture running');
    return c.stop();
  };

  beforeAll(async () => {
    sweepStaleLabs();
    lab = await createLab({ a: { address4: '192.0.2.11/24' }, b: { address4: '192.0.2.12/24' } });
  });
  afterAll(async () => {
    procA?.kill('SIGKILL', 'group');
    procB?.kill('SIGKILL', 'group');
    await capture?.stop().catch(() => undefined);
    await lab?.close();
  });

  it('elects a as the one VIP holder, with a GARP, and b stays silent', async () => {
    capture = await lab.capture();
    procA = await startDirector(masterKind, lab.hosts.a, confA);
    procB = await startDirector(backupKind, lab.hosts.b, confB);
    await waitFor(async () => (await holders()) === 'a', 8_000, 'the VIP on a only');
    await sleep(1_200);
    expect(await holders()).toBe('a');
    const frames = await stopCapture();
    expect(garpsFrom(frames, lab.hosts.a.mac, VIP).length).toBeGreaterThan(0);
    expect(advertsFrom(frames, lab.hosts.b.address4)).toEqual([]);
    expect(procB.output()).not.toMatch(/Entering MASTER STATE/);
  });

  it('SIGKILL on a: b takes over at Master_Down_Interval after the last advert and sends a GARP', async () => {
    const { a, b } = lab.hosts;
    capture = await lab.capture();
    await sleep(1_100);
    procA?.kill('SIGKILL', 'group');
    await procA?.exited;
    // A killed director leaves its VIP behind (as a crashed keepalived does); b must claim it anyway.
    await waitFor(async () => b.hasAddress(VIP), 6_000, 'the VIP on b');
    await sleep(300);
    const frames = await stopCapture();
    expectCrashTakeover(frames, a, b, VIP);
  });

  it('a restarted preempts b: the VIP moves back, a sends a GARP', async () => {
    const { a, b } = lab.hosts;
    // The killed director left its VIP on a; remove it so "the VIP on a" means the restart added it.
    await removeAddress(a, `${VIP}/24`);
    expect(await holders()).toBe('b');
    capture = await lab.capture();
    procA = await startDirector(masterKind, a, confA);
    await waitFor(async () => (await holders()) === 'a', 8_000, 'the VIP back on a only');
    await sleep(300);
    const frames = await stopCapture();
    const firstA = advertsFrom(frames, a.address4)[0];
    if (firstA === undefined) throw new Error('no advert from a after the restart');
    expect(garpsFrom(frames, a.mac, VIP).filter((f) => f.tsUs >= firstA.tsUs).length).toBeGreaterThan(0);
    // b stops advertising once it has seen a's higher priority (one advert may already be in flight).
    expect(advertsFrom(frames, b.address4).filter((f) => f.tsUs > firstA.tsUs + 100_000)).toEqual([]);
  });

  it('SIGTERM on a: a priority-0 advert, then b takes over after the skew time', async () => {
    const { a, b } = lab.hosts;
    capture = await lab.capture();
    await sleep(1_100);
    procA?.kill('SIGTERM', 'process');
    await waitFor(async () => (await holders()) === 'b', 4_000, 'the VIP on b only');
    await procA?.exited;
    await sleep(300);
    const frames = await stopCapture();
    const t = takeover(frames, a.address4, b.address4);
    expect(vrrpHead(t.lastOld).priority).toBe(0);
    const expected = skewMs(80, 1000);
    const w = takeoverWindowMs(expected);
    expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms, skew ${expected} ms`).toBeGreaterThanOrEqual(w.min);
    expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms, skew ${expected} ms`).toBeLessThanOrEqual(w.max);
    expect(garpsFrom(frames, b.mac, VIP).filter((f) => f.tsUs >= t.firstNew.tsUs).length).toBeGreaterThan(0);
    expect(await a.hasAddress(VIP)).toBe(false);
  });

  it('a cut link: b takes over at master-down; with the link back, a preempts again', async () => {
    const { a, b } = lab.hosts;
    procA = await startDirector(masterKind, a, confA);
    await waitFor(async () => (await holders()) === 'a', 8_000, 'the VIP back on a only');
    capture = await lab.capture();
    await sleep(1_100);
    await a.setLink(false);
    await waitFor(async () => b.hasAddress(VIP), 6_000, 'the VIP on b');
    // a sees its link go down: FAULT, VIP removed (keepalived: "Netlink reports eth0 down").
    await waitFor(async () => !(await a.hasAddress(VIP)), 3_000, 'a dropping the VIP in FAULT');
    await sleep(300);
    const frames = await stopCapture();
    const t = takeover(frames, a.address4, b.address4);
    const w = takeoverWindowMs(masterDownMs(80, 1000));
    expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms`).toBeGreaterThanOrEqual(w.min);
    expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms`).toBeLessThanOrEqual(w.max);
    expect(garpsFrom(frames, b.mac, VIP).length).toBeGreaterThan(0);
    await a.setLink(true);
    await waitFor(async () => (await holders()) === 'a', 10_000, 'the VIP back on a only after the link returns');
  });
});
