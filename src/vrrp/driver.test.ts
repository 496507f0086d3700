import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import type { Advert } from './advert.js';
import { VrrpDriver, type DriverInstanceOptions, type DriverOptions } from './driver.js';
import { createInstance, step, type Action, type VrrpState } from './instance.js';
import type { SyncGroupAction } from './sync-group.js';
import { masterDownMs } from './timing.js';
import type { Tracker } from './tracker.js';

// v2, 1 s adverts: master-down for priority 100 is 3609.375 ms, for 80 it is 3687.5 ms,
// for 150 it is 3414.062 ms.
const DOWN_100 = masterDownMs(100, 1_000);

function vi(vrid: number, over: Partial<DriverInstanceOptions> = {}): DriverInstanceOptions {
  return { family: 4, vrid, primaryAddress: '192.0.2.1', vips: ['192.0.2.100'], ...over };
}

function advert(over: Partial<Advert> = {}): Advert {
  return {
    version: 2,
    family: 4,
    vrid: 7,
    priority: 200,
    advertIntervalMs: 1_000,
    addresses: ['192.0.2.100'],
    auth: { type: 'none' },
    ...over,
  };
}

interface Performed {
  readonly at: number;
  readonly name: string;
  readonly action: Action;
  readonly state: VrrpState;
}

/** A driver on a ManualClock whose ports only record. `timeline` interleaves the wire and perform. */
function harness(options: DriverOptions) {
  const clock = new ManualClock();
  const adverts: Array<{ at: number; name: string; advert: Advert }> = [];
  const performed: Performed[] = [];
  const groupActions: Array<{ group: string; action: Exclude<SyncGroupAction, { type: 'member' }> }> = [];
  const timeline: string[] = [];
  const driver = new VrrpDriver(
    {
      clock,
      sendAdvert: (name, a) => {
        adverts.push({ at: clock.now(), name, advert: a });
        timeline.push(`wire ${name} ${a.priority}`);
      },
      perform: (name, action, state) => {
        performed.push({ at: clock.now(), name, action, state: state.state });
        timeline.push(`perform ${name} ${action.type}`);
      },
      performGroup: (group, action) => groupActions.push({ group, action }),
    },
    options,
  );
  return { clock, driver, adverts, performed, groupActions, timeline };
}

const transitions = (performed: readonly Performed[], name: string) =>
  performed.flatMap((p) => (p.name === name && p.action.type === 'transition' ? [p.action] : []));

describe('VrrpDriver start()', () => {
  it('has no instances before start()', () => {
    const { driver } = harness({ instances: { VI_1: vi(51) } });
    expect(driver.isRunning).toBe(false);
    expect(driver.names).toEqual(['VI_1']);
    expect(() => driver.instance('VI_1')).toThrow('no VRRP instance VI_1');
  });

  it.each<[string, Partial<DriverInstanceOptions>]>([
    ['priority 255', { priority: 255 }],
    ['state MASTER (priority defaults to 255)', { initialState: 'MASTER' }],
  ])('the address owner (%s) goes from INIT to MASTER at once and advertises every interval', (_, over) => {
    const { clock, driver, adverts, performed } = harness({ instances: { VI_1: vi(51, over) } });
    driver.start();
    expect(driver.isRunning).toBe(true);
    expect(driver.instance('VI_1').state).toBe('MASTER');
    expect(driver.holdsVips('VI_1')).toBe(true);
    expect(transitions(performed, 'VI_1')).toEqual([{ type: 'transition', from: 'INIT', to: 'MASTER', reason: 'address-owner' }]);
    expect(adverts).toEqual([
      {
        at: 0,
        name: 'VI_1',
        advert: {
          version: 2,
          family: 4,
          vrid: 51,
          priority: 255,
          advertIntervalMs: 1_000,
          addresses: ['192.0.2.100'],
          auth: { type: 'none' },
        },
      },
    ]);
    clock.advance(3_000);
    expect(adverts.map((a) => [a.at, a.advert.priority])).toEqual([
      [0, 255],
      [1_000, 255],
      [2_000, 255],
      [3_000, 255],
    ]);
  });

  it('a BACKUP arms master-down and becomes MASTER exactly when the clock reaches it', () => {
    const { clock, driver, adverts, performed } = harness({ instances: { VI_1: vi(51, { priority: 100 }) } });
    driver.start();
    expect(driver.instance('VI_1').state).toBe('BACKUP');
    expect(transitions(performed, 'VI_1')).toEqual([{ type: 'transition', from: 'INIT', to: 'BACKUP', reason: 'init' }]);
    expect(clock.nextTimerAt()).toBe(DOWN_100);
    clock.advanceTo(DOWN_100 - 0.001);
    expect(driver.instance('VI_1').state).toBe('BACKUP');
    expect(adverts).toEqual([]);
    clock.advanceTo(DOWN_100);
    expect(driver.instance('VI_1').state).toBe('MASTER');
    expect(adverts.map((a) => [a.at, a.advert.priority])).toEqual([[DOWN_100, 100]]);
    expect(transitions(performed, 'VI_1').map((t) => t.reason)).toEqual(['init', 'master-down']);
  });

  it('refuses a second start() while running', () => {
    const { driver } = harness({ instances: { VI_1: vi(51) } });
    driver.start();
    expect(() => driver.start()).toThrow('VRRP driver already running');
  });

  it('starts again from INIT after stop()', () => {
    const { driver, performed } = harness({ instances: { VI_1: vi(51, { priority: 255 }) } });
    driver.start();
    driver.stop();
    driver.start();
    expect(transitions(performed, 'VI_1').map((t) => `${t.from}>${t.to}`)).toEqual(['INIT>MASTER', 'INIT>MASTER']);
  });
});

describe('VrrpDriver actions', () => {
  it('hands every action to perform in the core order, after the new state and its own part are done', () => {
    const { clock, driver, performed, timeline } = harness({ instances: { VI_1: vi(51, { priority: 100 }) } });
    driver.start();
    const backup = driver.instance('VI_1');
    performed.length = 0;
    timeline.length = 0;
    clock.advanceTo(DOWN_100);
    const expected = step(backup, { type: 'timer-fired', timer: 'master-down' }).actions;
    expect(performed.map((p) => p.action)).toEqual(expected);
    expect(expected.map((a) => a.type)).toContain('notify');
    // The state handed over is the new one, from the first action on.
    expect(performed.map((p) => p.state)).toEqual(expected.map(() => 'MASTER'));
    // The advert is on the wire before perform hears of it.
    expect(timeline.slice(0, 2)).toEqual(['wire VI_1 100', 'perform VI_1 send-advert']);
  });

  it('start(): the core order, except that the notification comes after every other action', () => {
    const options = vi(51, { priority: 255 });
    const { driver, performed } = harness({ instances: { VI_1: options } });
    driver.start();
    const core = step(createInstance(options), { type: 'start' }).actions;
    const isNotify = (a: Action): boolean => a.type === 'notify';
    expect(performed.map((p) => p.action)).toEqual([...core.filter((a) => !isNotify(a)), ...core.filter(isNotify)]);
    expect(performed.map((p) => p.state)).toEqual(core.map(() => 'MASTER'));
  });

  it('has armed the timer and taken the VIPs before perform sees arm and claim-vips', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const driver: VrrpDriver = new VrrpDriver(
      {
        clock,
        sendAdvert: () => {},
        perform: (name, action) => {
          if (action.type === 'arm') seen.push(`arm ${action.timer} due ${clock.nextTimerAt()}`);
          if (action.type === 'claim-vips') seen.push(`claim holds=${driver.holdsVips(name)}`);
        },
      },
      { instances: { VI_1: vi(51, { priority: 100 }) } },
    );
    driver.start();
    clock.advanceTo(DOWN_100);
    expect(seen).toEqual([
      `arm master-down due ${DOWN_100}`,
      'claim holds=true',
      `arm garp-master-delay due ${DOWN_100 + 5_000}`,
      `arm advert due ${DOWN_100 + 1_000}`, // now the earliest of the two
    ]);
  });
});

describe('VrrpDriver sync groups', () => {
  it.each<[string, Record<string, string[]>, string]>([
    ['an instance in two groups', { G1: ['A', 'B'], G2: ['B', 'C'] }, 'instance B is in two sync groups'],
    ['an unknown member', { G1: ['A', 'X'] }, 'sync group G1 names unknown instance X'],
  ])('the constructor refuses %s', (_, syncGroups, message) => {
    expect(() => harness({ instances: { A: vi(1), B: vi(2), C: vi(3) }, syncGroups })).toThrow(message);
  });

  const LINK_C: Tracker = { id: 'link:c', kind: 'interface', weight: 0 };
  const twoGroups = (): DriverOptions => ({
    instances: { A: vi(1), B: vi(2), C: vi(3, { trackers: [LINK_C] }), D: vi(4), E: vi(5) },
    syncGroups: { G1: ['A', 'B'], G2: ['C', 'D'] },
  });

  it('starts the groups first, in configuration order, then the standalone instance', () => {
    const { driver, performed, groupActions } = harness(twoGroups());
    driver.start();
    expect([...new Set(performed.map((p) => p.name))]).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(groupActions).toEqual([
      { group: 'G1', action: { type: 'group-transition', from: 'INIT', to: 'BACKUP' } },
      { group: 'G2', action: { type: 'group-transition', from: 'INIT', to: 'BACKUP' } },
      { group: 'G1', action: { type: 'notify-group', state: 'BACKUP' } },
      { group: 'G2', action: { type: 'notify-group', state: 'BACKUP' } },
    ]);
    expect(driver.group('G1')?.memberNames).toEqual(['A', 'B']);
    expect(driver.group('E')).toBeUndefined();
  });

  it('keeps separate groups separate: a fault in G2 leaves G1 and the standalone instance alone', () => {
    const { clock, driver, adverts, groupActions } = harness(twoGroups());
    driver.start();
    groupActions.length = 0;
    driver.setTracker('link:c', { type: 'down' });
    const states = () => driver.names.map((n) => `${n}:${driver.instance(n).state}`);
    expect(states()).toEqual(['A:BACKUP', 'B:BACKUP', 'C:FAULT', 'D:FAULT', 'E:BACKUP']);
    expect(groupActions).toEqual([
      { group: 'G2', action: { type: 'group-transition', from: 'BACKUP', to: 'FAULT' } },
      { group: 'G2', action: { type: 'notify-group', state: 'FAULT' } },
    ]);
    clock.advanceTo(DOWN_100);
    expect(states()).toEqual(['A:MASTER', 'B:MASTER', 'C:FAULT', 'D:FAULT', 'E:MASTER']);
    expect(driver.group('G1')?.state).toBe('MASTER');
    expect(['A', 'B', 'C', 'D', 'E'].map((n) => driver.holdsVips(n))).toEqual([true, true, false, false, true]);
    expect([...new Set(adverts.map((a) => a.name))].sort()).toEqual(['A', 'B', 'E']);
  });

  it('shutdown() stops every group member and the standalone instance', () => {
    const { clock, driver, adverts, groupActions } = harness(twoGroups());
    driver.start();
    clock.advanceTo(DOWN_100);
    const before = adverts.length;
    driver.shutdown();
    expect(driver.names.map((n) => driver.instance(n).state)).toEqual(['STOP', 'STOP', 'STOP', 'STOP', 'STOP']);
    // Every MASTER (all five: C and D were never faulted here) says goodbye once.
    expect(adverts.slice(before).map((a) => `${a.name}:${a.advert.priority}`)).toEqual(['A:0', 'B:0', 'C:0', 'D:0', 'E:0']);
    expect(groupActions.slice(-4)).toEqual([
      { group: 'G1', action: { type: 'group-transition', from: 'MASTER', to: 'STOP' } },
      { group: 'G2', action: { type: 'group-transition', from: 'MASTER', to: 'STOP' } },
      { group: 'G1', action: { type: 'notify-group', state: 'STOP' } },
      { group: 'G2', action: { type: 'notify-group', state: 'STOP' } },
    ]);
  });

  /** Every notification, instance or group, in the order the ports got them. */
  function notifyHarness(options: DriverOptions) {
    const clock = new ManualClock();
    const notifies: string[] = [];
    const driver = new VrrpDriver(
      {
        clock,
        sendAdvert: () => {},
        perform: (name, action) => {
          if (action.type === 'notify') notifies.push(`${name} ${action.state}`);
        },
        performGroup: (group, action) => {
          if (action.type === 'notify-group') notifies.push(`group ${group} ${action.state}`);
        },
      },
      options,
    );
    return { clock, driver, notifies };
  }

  // Configuration order interleaves groups' members and standalone instances: E, C, A, D, B.
  const mixed = (over: { C?: Partial<DriverInstanceOptions>; E?: Partial<DriverInstanceOptions> } = {}): DriverOptions => ({
    instances: { E: vi(5, over.E), C: vi(3, over.C), A: vi(1), D: vi(4), B: vi(2) },
    syncGroups: { G2: ['C', 'D'], G1: ['A', 'B'] },
  });

  it('keepalived compat: start notifies every group, then every instance in configuration order (vrrp_init_state())', () => {
    const { driver, notifies } = notifyHarness(mixed({ C: { trackers: [LINK_C] } }));
    driver.setTracker('link:c', { type: 'down' });
    driver.start();
    expect(notifies).toEqual(['group G2 FAULT', 'group G1 BACKUP', 'E BACKUP', 'C FAULT', 'A BACKUP', 'B BACKUP']);
  });

  it('keepalived compat: an address owner notifies MASTER after the others (it becomes MASTER on its first timer)', () => {
    const { driver, notifies } = notifyHarness(mixed({ E: { priority: 255 } }));
    driver.start();
    expect(notifies).toEqual(['group G2 BACKUP', 'group G1 BACKUP', 'C BACKUP', 'A BACKUP', 'D BACKUP', 'B BACKUP', 'E MASTER']);
  });

  it('keepalived compat: shutdown notifies every instance STOP in configuration order, then every group (notify_shutdown())', () => {
    const { clock, driver, notifies } = notifyHarness(mixed());
    driver.start();
    clock.advanceTo(DOWN_100);
    notifies.length = 0;
    driver.shutdown();
    expect(notifies).toEqual(['E STOP', 'C STOP', 'A STOP', 'D STOP', 'B STOP', 'group G2 STOP', 'group G1 STOP']);
  });
});

describe('VrrpDriver receive()', () => {
  const options = (): DriverOptions => ({
    instances: {
      X: vi(7),
      Y: vi(7, { family: 6, primaryAddress: '2001:db8::1', vips: ['2001:db8::100'] }),
      Z: vi(8),
      W: vi(7, { primaryAddress: '192.0.2.2' }),
    },
  });

  it.each<[string, Partial<Advert>, string[]]>([
    ['VRID 7 over IPv4', { vrid: 7, family: 4 }, ['X', 'W']],
    ['VRID 7 over IPv6', { vrid: 7, family: 6, addresses: ['2001:db8::100'] }, ['Y']],
    ['VRID 8 over IPv4', { vrid: 8, family: 4 }, ['Z']],
    ['VRID 8 over IPv6', { vrid: 8, family: 6 }, []],
    ['VRID 9', { vrid: 9 }, []],
  ])('an advert for %s reaches only the instances with that VRID and family', (_, over, names) => {
    const { driver, performed } = harness(options());
    driver.start();
    performed.length = 0;
    driver.receive(advert(over), '192.0.2.9');
    expect([...new Set(performed.map((p) => p.name))]).toEqual(names);
    for (const n of names) expect(driver.instance(n).masterAddress).toBe('192.0.2.9');
  });

  it('the filter narrows the matching instances further', () => {
    const { driver, performed } = harness(options());
    driver.start();
    performed.length = 0;
    driver.receive(advert({ vrid: 7 }), '192.0.2.9', (name) => name === 'W');
    expect([...new Set(performed.map((p) => p.name))]).toEqual(['W']);
    expect(driver.instance('X').masterAddress).toBeNull();
  });

  it('a heard master keeps the BACKUP from taking over', () => {
    const { clock, driver } = harness(options());
    driver.start();
    clock.advanceTo(3_000);
    driver.receive(advert({ vrid: 8 }), '192.0.2.9');
    clock.advanceTo(DOWN_100 + 1);
    expect(driver.instance('Z').state).toBe('BACKUP');
    expect(driver.instance('X').state).toBe('MASTER');
    clock.advanceTo(3_000 + DOWN_100);
    expect(driver.instance('Z').state).toBe('MASTER');
  });

  it('returns the instances it reached, each with the reason its state machine discarded the advert', () => {
    const { driver } = harness({ ...options(), syncGroups: { G: ['W', 'Z'] } });
    driver.start();
    expect(driver.receive(advert(), '192.0.2.9')).toEqual([
      { name: 'X', discard: undefined },
      { name: 'W', discard: undefined },
    ]);
    expect(driver.receive(advert({ auth: { type: 'pass', password: 'x' } }), '192.0.2.9')).toEqual([
      { name: 'X', discard: 'auth-type-mismatch' },
      { name: 'W', discard: 'auth-type-mismatch' },
    ]);
    expect(driver.receive(advert({ vrid: 9 }), '192.0.2.9')).toEqual([]);
  });

  it('ignores adverts while not running', () => {
    const { driver, performed } = harness(options());
    expect(driver.receive(advert(), '192.0.2.9')).toEqual([]);
    driver.start();
    driver.stop();
    performed.length = 0;
    driver.receive(advert(), '192.0.2.9');
    expect(performed).toEqual([]);
  });
});

describe('VrrpDriver setTracker()', () => {
  const options = (): DriverOptions => ({
    instances: {
      X: vi(1, { trackers: [{ id: 't1', kind: 'interface', weight: -20 }] }),
      Y: vi(2, { trackers: [{ id: 't2', kind: 'interface', weight: -20 }] }),
      Z: vi(3),
    },
  });

  it('reaches only the instances that track that id', () => {
    const { driver, performed } = harness(options());
    driver.start();
    performed.length = 0;
    driver.setTracker('t1', { type: 'down' });
    expect([...new Set(performed.map((p) => p.name))]).toEqual(['X']);
    expect(performed[0]?.action).toEqual({ type: 'notify-priority', from: 100, to: 80 });
    expect(['X', 'Y', 'Z'].map((n) => driver.instance(n).effectivePriority)).toEqual([80, 100, 100]);
  });

  it('an id nobody tracks does nothing', () => {
    const { driver, performed } = harness(options());
    driver.start();
    performed.length = 0;
    driver.setTracker('t9', { type: 'down' });
    expect(performed).toEqual([]);
  });

  it('does nothing before start()', () => {
    const { driver, performed, clock } = harness(options());
    driver.setTracker('t1', { type: 'down' });
    expect(performed).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('keepalived compat: a status reported before start() is the initial one (lower priority from the start)', () => {
    const { clock, driver, performed } = harness(options());
    driver.setTracker('t1', { type: 'down' });
    driver.start();
    expect(['X', 'Y', 'Z'].map((n) => driver.instance(n).effectivePriority)).toEqual([80, 100, 100]);
    // No priority change is notified: the instance never had priority 100.
    expect(performed.filter((p) => p.action.type === 'notify-priority')).toEqual([]);
    // master-down is armed for priority 80 (vrrp_init_state() uses the effective priority).
    clock.advanceTo(DOWN_100);
    expect(driver.instance('X').state).toBe('BACKUP');
    clock.advanceTo(masterDownMs(80, 1_000));
    expect(driver.instance('X').state).toBe('MASTER');
  });

  it('keepalived compat: a weight-0 tracker down before start() starts the instance in FAULT and notifies it', () => {
    const { driver, performed } = harness({ instances: { X: vi(1, { trackers: [{ id: 'p', kind: 'process', weight: 0 }] }), Z: vi(3) } });
    driver.setTracker('p', { type: 'down' });
    driver.start();
    expect(driver.instance('X').state).toBe('FAULT');
    expect(performed.filter((p) => p.name === 'X').map((p) => p.action)).toEqual([
      { type: 'transition', from: 'INIT', to: 'FAULT', reason: 'init' },
      { type: 'notify', state: 'FAULT' },
    ]);
    driver.setTracker('p', { type: 'up' });
    expect(driver.instance('X').state).toBe('BACKUP');
  });

  it('a sync group starts in FAULT when a member tracker was down before start()', () => {
    const { driver, groupActions } = harness({
      instances: { A: vi(1), B: vi(2, { trackers: [{ id: 'p', kind: 'process', weight: 0 }] }) },
      syncGroups: { G: ['A', 'B'] },
    });
    driver.setTracker('p', { type: 'down' });
    driver.start();
    expect(['A', 'B'].map((n) => driver.instance(n).state)).toEqual(['FAULT', 'FAULT']);
    expect(groupActions).toContainEqual({ group: 'G', action: { type: 'notify-group', state: 'FAULT' } });
  });

  it('the last status reported, also while stopped, is where a restart begins', () => {
    const { driver } = harness(options());
    driver.start();
    driver.setTracker('t1', { type: 'down' });
    driver.stop();
    driver.setTracker('t2', { type: 'down' });
    driver.start();
    expect(['X', 'Y', 'Z'].map((n) => driver.instance(n).effectivePriority)).toEqual([80, 80, 100]);
  });
});

describe('VrrpDriver shutdown() and stop()', () => {
  it('shutdown(): a MASTER sends one priority-0 advert, and afterwards no timer fires', () => {
    const { clock, driver, adverts, performed } = harness({ instances: { VI_1: vi(51, { priority: 255 }) } });
    driver.start();
    clock.advance(500);
    driver.shutdown();
    expect(adverts.map((a) => [a.at, a.advert.priority])).toEqual([
      [0, 255],
      [500, 0],
    ]);
    expect(driver.instance('VI_1').state).toBe('STOP');
    expect(transitions(performed, 'VI_1').at(-1)).toEqual({ type: 'transition', from: 'MASTER', to: 'STOP', reason: 'shutdown' });
    expect(driver.isRunning).toBe(false);
    expect(driver.holdsVips('VI_1')).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    const counts = [adverts.length, performed.length];
    clock.advance(3_600_000);
    expect([adverts.length, performed.length]).toEqual(counts);
  });

  it('shutdown(): a BACKUP stops without sending anything', () => {
    const { clock, driver, adverts } = harness({ instances: { VI_1: vi(51) } });
    driver.start();
    driver.shutdown();
    expect(driver.instance('VI_1').state).toBe('STOP');
    expect(clock.pendingTimers).toBe(0);
    clock.advance(3_600_000);
    expect(adverts).toEqual([]);
  });

  it('shutdown() of a driver that is not running does nothing', () => {
    const { driver, performed } = harness({ instances: { VI_1: vi(51) } });
    driver.shutdown();
    expect(performed).toEqual([]);
  });

  it('stop(): cancels every timer, drops the VIPs and sends nothing', () => {
    const { clock, driver, adverts, performed } = harness({ instances: { VI_1: vi(51, { priority: 255 }) } });
    driver.start();
    const counts = [adverts.length, performed.length];
    driver.stop();
    expect([adverts.length, performed.length]).toEqual(counts);
    expect(driver.isRunning).toBe(false);
    expect(driver.holdsVips('VI_1')).toBe(false);
    expect(driver.instance('VI_1').state).toBe('MASTER'); // a crash: no transition is recorded
    expect(clock.pendingTimers).toBe(0);
    clock.advance(3_600_000);
    expect([adverts.length, performed.length]).toEqual(counts);
  });
});

describe('VrrpDriver holdsVips()', () => {
  it('follows claim-vips and release-vips', () => {
    const { clock, driver, performed } = harness({ instances: { X: vi(7) } });
    driver.start();
    const holds: Array<[string, boolean]> = [];
    const record = () => holds.push([driver.instance('X').state, driver.holdsVips('X')]);
    record();
    clock.advanceTo(DOWN_100);
    record();
    driver.receive(advert({ priority: 200 }), '192.0.2.9'); // a higher priority: back to BACKUP
    record();
    clock.advanceTo(2 * DOWN_100); // that master went silent
    record();
    expect(holds).toEqual([
      ['BACKUP', false],
      ['MASTER', true],
      ['BACKUP', false],
      ['MASTER', true],
    ]);
    expect(performed.filter((p) => p.action.type === 'claim-vips' || p.action.type === 'release-vips').map((p) => p.action.type)).toEqual([
      'claim-vips',
      'release-vips',
      'claim-vips',
    ]);
  });
});

describe("VrrpDriver 'shift'", () => {
  const TRACK: Tracker = { id: 't1', kind: 'interface', weight: -20 };

  it.each<[string, Array<[number, 'up' | 'down']>, number]>([
    ['no change: master-down stays put', [], DOWN_100],
    ['a lower priority (100 → 80) moves master-down later', [[1_000, 'down']], masterDownMs(80, 1_000)],
    ['recovering moves it back', [[1_000, 'down'], [2_000, 'up']], DOWN_100],
  ])('%s', (_, changes, dueMs) => {
    const { clock, driver, performed } = harness({ instances: { X: vi(7, { trackers: [TRACK] }) } });
    driver.start();
    for (const [at, status] of changes) {
      clock.advanceTo(at);
      driver.setTracker('t1', { type: status });
    }
    expect(performed.filter((p) => p.action.type === 'shift')).toHaveLength(changes.length);
    expect(clock.nextTimerAt()).toBe(dueMs);
    clock.advanceTo(dueMs - 0.001);
    expect(driver.instance('X').state).toBe('BACKUP');
    clock.advanceTo(dueMs);
    expect(driver.instance('X').state).toBe('MASTER');
  });

  it('a shift into the past fires at once', () => {
    const up50: Tracker = { id: 't1', kind: 'interface', weight: 50, initial: { type: 'down' } };
    const { clock, driver, adverts } = harness({ instances: { X: vi(7, { trackers: [up50] }) } });
    driver.start();
    clock.advanceTo(3_500); // master-down (priority 100) is due at 3609.375
    driver.setTracker('t1', { type: 'up' }); // priority 150: master-down would have been 3414.062
    clock.advance(0);
    expect(driver.instance('X').state).toBe('MASTER');
    expect(adverts.map((a) => [a.at, a.advert.priority])).toEqual([[3_500, 150]]);
  });
});

describe('VrrpDriver invariants', () => {
  // Regression: the driver records the step's next state before running its actions; a MASTER that
  // yields in this step must still send the advert the step put first (keepalived: vrrp_state_master_rx).
  it('keepalived compat: higher_prio_send_advert sends one advert, then yields to BACKUP', () => {
    const { clock, driver, adverts } = harness({ instances: { X: vi(7, { higherPrioSendAdvert: true }) } });
    driver.start();
    clock.advanceTo(DOWN_100);
    driver.receive(advert({ priority: 200 }), '192.0.2.9');
    expect(adverts.map((a) => [a.at, a.advert.priority])).toEqual([
      [DOWN_100, 100],
      [DOWN_100, 100],
    ]);
    expect(driver.instance('X').state).toBe('BACKUP');
    expect(driver.holdsVips('X')).toBe(false);
  });
});
