import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { MemorySegment } from '../testing/memory-segment.js';
import { SimRouter, type SimInstanceOptions, type SimLogEntry } from '../testing/sim-router.js';
import { masterDownMs, skewMs } from './timing.js';
import type { Tracker } from './tracker.js';

// Timelines, v2 with 1 s adverts, everyone started at t = 0 unless said otherwise:
//   priority 150 → master-down 3414.062 ms; priority 100 → 3609.375 ms; skew(100) = 609.375 ms.

function sim() {
  const clock = new ManualClock();
  const seg = new MemorySegment(clock);
  return { clock, seg };
}

type Sim = ReturnType<typeof sim>;

let nextHost = 11;

function router(
  { clock, seg }: Sim,
  over: Partial<SimInstanceOptions> = {},
  extra: { readonly address?: string; readonly isStarted?: boolean } = {},
): SimRouter {
  const address = extra.address ?? `192.0.2.${nextHost++}`;
  const r = new SimRouter(seg, clock, {
    id: address,
    address,
    instances: { VI_1: { vrid: 51, vips: ['192.0.2.100'], ...over } },
  });
  if (extra.isStarted !== false) r.start();
  return r;
}

function transitions(r: SimRouter, source = 'VI_1'): Array<{ at: number; to: string; reason: string }> {
  return r.log.flatMap((e: SimLogEntry) =>
    e.source === source && e.action.type === 'transition' ? [{ at: e.at, to: e.action.to, reason: e.action.reason }] : [],
  );
}

describe('election', () => {
  it('the higher priority wins after its own master-down interval', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    const t = masterDownMs(150, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect([a.state(), b.state()]).toEqual(['BACKUP', 'BACKUP']);
    s.clock.advanceTo(t);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
    s.clock.advanceTo(60_000);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
    expect([a.holdsVips(), b.holdsVips()]).toEqual([true, false]);
    expect(s.seg.advertsFrom(b)).toHaveLength(0);
    // one advert per interval from the master
    const times = s.seg.advertsFrom(a).map((x) => x.at);
    expect(times.slice(0, 3)).toEqual([t, t + 1_000, t + 2_000]);
  });

  it('equal priorities: the higher primary address wins (RFC 5798 §6.4.3)', () => {
    const s = sim();
    const low = router(s, { priority: 100 }, { address: '192.0.2.21' });
    const high = router(s, { priority: 100 }, { address: '192.0.2.22' });
    // Both time out at the same instant, both claim MASTER, then the adverts meet.
    s.clock.advanceTo(masterDownMs(100, 1_000));
    expect([low.state(), high.state()]).toEqual(['BACKUP', 'MASTER']);
    expect(transitions(low).map((x) => x.reason)).toEqual(['init', 'master-down', 'higher-address']);
    s.clock.advanceTo(30_000);
    expect([low.state(), high.state()]).toEqual(['BACKUP', 'MASTER']);
  });

  it('compares addresses numerically, not as text', () => {
    const s = sim();
    const nine = router(s, {}, { address: '10.0.0.9' });
    const ten = router(s, {}, { address: '10.0.0.10' });
    s.clock.advanceTo(10_000);
    expect([nine.state(), ten.state()]).toEqual(['BACKUP', 'MASTER']);
  });

  it('an equal-priority backup never preempts a live master', () => {
    const s = sim();
    const low = router(s, {}, { address: '192.0.2.31' });
    s.clock.advanceTo(5_000);
    const high = router(s, {}, { address: '192.0.2.32' });
    s.clock.advanceTo(60_000);
    expect([low.state(), high.state()]).toEqual(['MASTER', 'BACKUP']);
  });

  it('the address owner (255) takes over at once', () => {
    const s = sim();
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    expect(b.state()).toBe('MASTER');
    const owner = router(s, { priority: 255 });
    expect(owner.state()).toBe('MASTER');
    s.clock.advanceTo(10_000); // deliver the owner's first advert
    expect(b.state()).toBe('BACKUP');
  });
});

describe('failover', () => {
  it('a crashed master is replaced exactly at master-down after its last advert', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    a.crash();
    const t = s.seg.lastAdvertFrom(a).at + masterDownMs(100, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect(b.state()).toBe('BACKUP');
    s.clock.advanceTo(t);
    expect(b.state()).toBe('MASTER');
    expect(transitions(b).at(-1)).toEqual({ at: t, to: 'MASTER', reason: 'master-down' });
  });

  it('a graceful shutdown sends priority 0 and the backup takes over after skew time', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    a.shutdown();
    const farewell = s.seg.lastAdvertFrom(a);
    expect(farewell).toMatchObject({ at: 10_000, advert: { priority: 0 } });
    const t = 10_000 + skewMs(100, 1_000); // lab: 0.61 s
    s.clock.advanceTo(t - 0.001);
    expect(b.state()).toBe('BACKUP');
    s.clock.advanceTo(t);
    expect(b.state()).toBe('MASTER');
    expect(transitions(a).at(-1)).toMatchObject({ to: 'STOP', reason: 'shutdown' });
  });

  it('v3: after priority 0 the skew follows the master interval (lab: 0.305 s at 0.5 s)', () => {
    const s = sim();
    const v3 = { version: 3 as const, advertIntervalMs: 500 };
    const a = router(s, { ...v3, priority: 150 });
    const b = router(s, { ...v3, priority: 100 });
    s.clock.advanceTo(10_000);
    a.shutdown();
    s.clock.advanceTo(10_000 + 304.687 - 0.001);
    expect(b.state()).toBe('BACKUP');
    s.clock.advanceTo(10_000 + 304.687);
    expect(b.state()).toBe('MASTER');
  });

  it('the higher priority preempts again when the old master comes back', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    a.crash();
    s.clock.advanceTo(20_000);
    expect(b.state()).toBe('MASTER');
    a.start();
    // b's lower-priority adverts do not reset a's timer: a takes over at its own master-down.
    const t = 20_000 + masterDownMs(150, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect([a.state(), b.state()]).toEqual(['BACKUP', 'MASTER']);
    s.clock.advanceTo(t);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
    expect(transitions(b).at(-1)).toEqual({ at: t, to: 'BACKUP', reason: 'higher-priority' });
  });

  it('nopreempt: a returning higher priority stays BACKUP under a live master', () => {
    const s = sim();
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(5_000);
    const a = router(s, { priority: 150, nopreempt: true });
    s.clock.advanceTo(60_000);
    expect([a.state(), b.state()]).toEqual(['BACKUP', 'MASTER']);
  });

  it('keepalived compat: preempt_delay holds preemption, then master-down runs from the last accepted advert', () => {
    const s = sim();
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    const a = router(s, { priority: 200, preemptDelayMs: 4_000 });
    const first = s.seg.lastAdvertFrom(b).at + 1_000; // b's first advert a hears
    // Adverts until the delay ends are accepted; the one arriving exactly at its end is not.
    const lastAccepted = first + 4_000 - 1_000;
    const t = lastAccepted + masterDownMs(200, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect(a.state()).toBe('BACKUP');
    s.clock.advanceTo(t);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
  });
});

describe('lossy and split networks', () => {
  it('two lost adverts are tolerated, three are not', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    let lost = 0;
    const stop = s.seg.drop(({ from }) => from === a.id && lost++ < 2);
    s.clock.advanceTo(20_000);
    expect(b.state()).toBe('BACKUP');
    stop();
    lost = 0;
    s.seg.drop(({ from }) => from === a.id && lost++ < 3);
    const before = s.seg.advertsFrom(a).filter((x) => x.deliveredTo.includes(b.id)).at(-1)?.at ?? Number.NaN;
    const t = before + masterDownMs(100, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect(b.state()).toBe('BACKUP');
    s.clock.advanceTo(t);
    // b takes over, and the live master answers b's first advert at once (keepalived), so b yields again.
    expect(transitions(b).slice(-2)).toEqual([
      { at: t, to: 'MASTER', reason: 'master-down' },
      { at: t, to: 'BACKUP', reason: 'higher-priority' },
    ]);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
  });

  it('a partition gives two masters; healing leaves the higher priority', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    s.seg.partition([a], [b]);
    s.clock.advanceTo(20_000);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'MASTER']);
    expect([a.holdsVips(), b.holdsVips()]).toEqual([true, true]);
    s.seg.heal();
    // b's next advert reaches a first; a answers at once (keepalived) and b yields.
    const next = s.seg.advertsFrom(b).at(-1)?.at ?? Number.NaN;
    s.clock.advanceTo(next + 1_000);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
    expect(transitions(b).at(-1)).toEqual({ at: next + 1_000, to: 'BACKUP', reason: 'higher-priority' });
  });

  it('keepalived compat: a v2 advert_int mismatch is dropped, so both sides become MASTER', () => {
    const s = sim();
    const a = router(s, { priority: 150 });
    const b = router(s, { priority: 100, advertIntervalMs: 2_000 });
    s.clock.advanceTo(30_000);
    expect([a.state(), b.state()]).toEqual(['MASTER', 'MASTER']);
  });
});

describe('tracking', () => {
  it('a failing negative-weight script drops the master below its peer and the peer takes over', () => {
    const s = sim();
    const chk: Tracker = { id: 'chk', kind: 'script', weight: -60, initial: { type: 'up' } };
    const a = router(s, { priority: 150, trackers: [chk] });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    const lastGood = s.seg.lastAdvertFrom(a).at;
    a.setTracker('chk', { type: 'down' });
    expect(a.instance().effectivePriority).toBe(90);
    // a's next advert carries 90: b discards it and its timer runs out from the last 150 advert.
    const t = lastGood + masterDownMs(100, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect(b.state()).toBe('BACKUP');
    expect(s.seg.lastAdvertFrom(a).advert.priority).toBe(90);
    s.clock.advanceTo(t);
    expect([a.state(), b.state()]).toEqual(['BACKUP', 'MASTER']);
    expect(transitions(a).at(-1)).toEqual({ at: t, to: 'BACKUP', reason: 'higher-priority' });
  });

  it('keepalived compat: a tracked interface going down puts the master in FAULT; the backup takes over at skew', () => {
    const s = sim();
    const eth1: Tracker = { id: 'eth1', kind: 'interface', weight: 0 };
    const a = router(s, { priority: 150, trackers: [eth1] });
    const b = router(s, { priority: 100 });
    s.clock.advanceTo(10_000);
    a.setTracker('eth1', { type: 'down' });
    expect(a.state()).toBe('FAULT');
    expect(a.holdsVips()).toBe(false);
    expect(s.seg.advertsFrom(a).filter((x) => x.advert.priority === 0)).toHaveLength(2);
    s.clock.advanceTo(10_000 + skewMs(100, 1_000));
    expect(b.state()).toBe('MASTER');
    // back up: BACKUP first, then preemption after a full master-down interval
    s.clock.advanceTo(20_000);
    a.setTracker('eth1', { type: 'up' });
    expect(a.state()).toBe('BACKUP');
    s.clock.advanceTo(20_000 + masterDownMs(150, 1_000));
    expect([a.state(), b.state()]).toEqual(['MASTER', 'BACKUP']);
  });
});

describe('keepalived compat: sync groups', () => {
  const eth1: Tracker = { id: 'eth1', kind: 'interface', weight: 0 };

  function pair(s: Sim, id: string, priority: number, trackVi2: boolean): SimRouter {
    const r = new SimRouter(s.seg, s.clock, {
      id,
      address: id,
      syncGroup: 'G1',
      instances: {
        VI_1: { vrid: 51, priority, vips: ['192.0.2.100'] },
        VI_2: { vrid: 52, priority, vips: ['198.51.100.100'], trackers: trackVi2 ? [eth1] : [] },
      },
    });
    r.start();
    return r;
  }

  function groupNotifies(r: SimRouter): string[] {
    return r.log.flatMap((e) => (e.action.type === 'notify-group' ? [e.action.state] : []));
  }

  it('members become MASTER together, fail together and come back together', () => {
    const s = sim();
    const a = pair(s, '192.0.2.11', 150, true);
    const b = pair(s, '192.0.2.12', 100, false);
    s.clock.advanceTo(10_000);
    expect([a.state('VI_1'), a.state('VI_2'), b.state('VI_1'), b.state('VI_2')]).toEqual(['MASTER', 'MASTER', 'BACKUP', 'BACKUP']);

    a.setTracker('eth1', { type: 'down' });
    expect([a.state('VI_1'), a.state('VI_2')]).toEqual(['FAULT', 'FAULT']);
    expect(transitions(a, 'VI_1').at(-1)).toMatchObject({ to: 'FAULT', reason: 'sync-group' });
    expect(transitions(a, 'VI_2').at(-1)).toMatchObject({ to: 'FAULT', reason: 'tracker-fault' });
    // VI_2 failed itself (priority 0 twice); VI_1 was pulled along (once)
    const zeros = (vrid: number) => s.seg.advertsFrom(a).filter((x) => x.advert.vrid === vrid && x.advert.priority === 0);
    expect([zeros(51).length, zeros(52).length]).toEqual([1, 2]);

    s.clock.advanceTo(10_000 + skewMs(100, 1_000));
    expect([b.state('VI_1'), b.state('VI_2')]).toEqual(['MASTER', 'MASTER']);

    s.clock.advanceTo(20_000);
    a.setTracker('eth1', { type: 'up' });
    expect([a.state('VI_1'), a.state('VI_2')]).toEqual(['BACKUP', 'BACKUP']);
    const t = 20_000 + masterDownMs(150, 1_000);
    s.clock.advanceTo(t - 0.001);
    expect([a.state('VI_1'), a.state('VI_2')]).toEqual(['BACKUP', 'BACKUP']);
    s.clock.advanceTo(t);
    expect([a.state('VI_1'), a.state('VI_2'), b.state('VI_1'), b.state('VI_2')]).toEqual(['MASTER', 'MASTER', 'BACKUP', 'BACKUP']);
    expect(groupNotifies(a)).toEqual(['BACKUP', 'MASTER', 'FAULT', 'BACKUP', 'MASTER']);
    expect(groupNotifies(b)).toEqual(['BACKUP', 'MASTER', 'BACKUP']);
  });

  it('a member whose timer expires waits in BACKUP while another member still hears its master', () => {
    const s = sim();
    // a runs the two VRIDs as independent instances; only VI_1 fails.
    const a = new SimRouter(s.seg, s.clock, {
      id: '192.0.2.11',
      address: '192.0.2.11',
      instances: {
        VI_1: { vrid: 51, priority: 150, vips: ['192.0.2.100'], trackers: [eth1] },
        VI_2: { vrid: 52, priority: 150, vips: ['198.51.100.100'] },
      },
    });
    a.start();
    const b = pair(s, '192.0.2.12', 100, false);
    s.clock.advanceTo(10_000);
    a.setTracker('eth1', { type: 'down' });
    s.clock.advanceTo(60_000);
    expect([b.state('VI_1'), b.state('VI_2')]).toEqual(['BACKUP', 'BACKUP']);
    expect(b.instance('VI_1').wantState).toBe('MASTER');
    // the held member keeps re-arming a full down interval and never advertises
    expect(s.seg.advertsFrom(b)).toHaveLength(0);
  });

  it('a member going BACKUP pulls the others to BACKUP', () => {
    const s = sim();
    const b = pair(s, '192.0.2.12', 100, false);
    s.clock.advanceTo(10_000);
    expect([b.state('VI_1'), b.state('VI_2')]).toEqual(['MASTER', 'MASTER']);
    // a higher priority appears for VI_1 only
    const a = router(s, { priority: 150 }, { address: '192.0.2.11' });
    s.clock.advanceTo(10_000 + masterDownMs(150, 1_000));
    expect(a.state()).toBe('MASTER');
    expect([b.state('VI_1'), b.state('VI_2')]).toEqual(['BACKUP', 'BACKUP']);
    expect(transitions(b, 'VI_2').at(-1)).toMatchObject({ to: 'BACKUP', reason: 'sync-group' });
  });
});
