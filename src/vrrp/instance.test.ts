import { describe, expect, it } from 'vitest';
import type { Advert } from './advert.js';
import {
  createInstance,
  step,
  type Action,
  type Instance,
  type InstanceOptions,
  type Step,
  type VrrpEvent,
  type VrrpState,
} from './instance.js';
import { masterDownMs, skewMs } from './timing.js';
import type { Tracker } from './tracker.js';

const OPTS: InstanceOptions = {
  vrid: 51,
  priority: 100,
  primaryAddress: '192.0.2.12',
  vips: ['192.0.2.100', '192.0.2.101'],
};

function advert(over: Partial<Advert> = {}): Advert {
  return {
    version: 2,
    family: 4,
    vrid: 51,
    priority: 100,
    advertIntervalMs: 1_000,
    addresses: ['192.0.2.100', '192.0.2.101'],
    auth: { type: 'none' },
    ...over,
  };
}

const rx = (over: Partial<Advert> = {}, from = '192.0.2.11'): VrrpEvent => ({
  type: 'advert-received',
  advert: advert(over),
  from,
});
const START: VrrpEvent = { type: 'start' };
const DOWN: VrrpEvent = { type: 'timer-fired', timer: 'master-down' };
const IFACE_0: Tracker = { id: 'eth1', kind: 'interface', weight: 0 };
const ifaceDown: VrrpEvent = { type: 'track-changed', tracker: 'eth1', status: { type: 'down' } };
const ifaceUp: VrrpEvent = { type: 'track-changed', tracker: 'eth1', status: { type: 'up' } };

function run(s: Instance, events: readonly VrrpEvent[]): Step {
  let last: Step = { next: s, actions: [] };
  for (const ev of events) last = step(last.next, ev);
  return last;
}

/** An instance brought into `state` through ordinary events. */
function inState(state: VrrpState, over: Partial<InstanceOptions> = {}): Instance {
  const trackers = state === 'FAULT' ? [IFACE_0] : (over.trackers ?? []);
  const s = createInstance({ ...OPTS, ...over, trackers });
  const path: Record<VrrpState, readonly VrrpEvent[]> = {
    INIT: [],
    BACKUP: [START],
    MASTER: [START, DOWN],
    FAULT: [START, ifaceDown],
    STOP: [START, { type: 'shutdown' }],
  };
  const next = run(s, path[state]).next;
  expect(next.state).toBe(state);
  return next;
}

function transitionOf(actions: readonly Action[]): Action | undefined {
  return actions.find((a) => a.type === 'transition');
}

describe('transitions', () => {
  const tracked = { trackers: [IFACE_0] };
  it.each<[string, VrrpState, Partial<InstanceOptions>, VrrpEvent, VrrpState, string | undefined]>([
    ['start as backup', 'INIT', {}, START, 'BACKUP', 'init'],
    ['owner starts as master (RFC 5798 §6.4.1)', 'INIT', { priority: 255 }, START, 'MASTER', 'address-owner'],
    ['keepalived compat: state MASTER below 255 starts as BACKUP', 'INIT', { priority: 150, initialState: 'MASTER' }, START, 'BACKUP', 'init'],
    ['master-down expiry', 'BACKUP', {}, DOWN, 'MASTER', 'master-down'],
    ['higher priority advert', 'MASTER', {}, rx({ priority: 101 }), 'BACKUP', 'higher-priority'],
    ['equal priority, higher address', 'MASTER', {}, rx({}, '192.0.2.13'), 'BACKUP', 'higher-address'],
    ['equal priority, lower address', 'MASTER', {}, rx({}, '192.0.2.11'), 'MASTER', undefined],
    ['lower priority advert', 'MASTER', {}, rx({ priority: 99 }, '192.0.2.200'), 'MASTER', undefined],
    ['priority 0 advert', 'MASTER', {}, rx({ priority: 0 }), 'MASTER', undefined],
    ['higher priority advert in BACKUP', 'BACKUP', {}, rx({ priority: 200 }), 'BACKUP', undefined],
    ['keepalived compat: tracked interface down in MASTER', 'MASTER', tracked, ifaceDown, 'FAULT', 'tracker-fault'],
    ['keepalived compat: tracked interface down in BACKUP', 'BACKUP', tracked, ifaceDown, 'FAULT', 'tracker-fault'],
    ['keepalived compat: tracked interface back up', 'FAULT', {}, ifaceUp, 'BACKUP', 'tracker-recovered'],
    ['shutdown in MASTER', 'MASTER', {}, { type: 'shutdown' }, 'STOP', 'shutdown'],
    ['shutdown in BACKUP', 'BACKUP', {}, { type: 'shutdown' }, 'STOP', 'shutdown'],
    ['shutdown in FAULT', 'FAULT', {}, { type: 'shutdown' }, 'STOP', 'shutdown'],
    ['shutdown before start', 'INIT', {}, { type: 'shutdown' }, 'STOP', 'shutdown'],
    ['keepalived compat: FAULT ignores adverts', 'FAULT', {}, rx({ priority: 0 }), 'FAULT', undefined],
    ['INIT ignores adverts', 'INIT', {}, rx({ priority: 0 }), 'INIT', undefined],
    ['INIT ignores timers', 'INIT', {}, DOWN, 'INIT', undefined],
    ['STOP ignores everything', 'STOP', {}, START, 'STOP', undefined],
    ['stale master-down in MASTER', 'MASTER', {}, DOWN, 'MASTER', undefined],
  ])('%s: %s → %s', (_name, from, over, ev, to, reason) => {
    const { next, actions } = step(inState(from, over), ev);
    expect(next.state).toBe(to);
    const t = transitionOf(actions);
    if (reason === undefined) expect(t).toBeUndefined();
    else expect(t).toEqual({ type: 'transition', from, to, reason });
  });
});

describe('entering and leaving MASTER', () => {
  it('sends the advert before claiming the VIPs, then GARPs, notifies and arms the advert timer', () => {
    expect(step(inState('BACKUP'), DOWN).actions).toEqual([
      { type: 'send-advert', priority: 100 },
      { type: 'transition', from: 'BACKUP', to: 'MASTER', reason: 'master-down' },
      { type: 'claim-vips' },
      { type: 'gratuitous-arp', repeat: 5 },
      { type: 'arm', timer: 'garp-master-delay', ms: 5_000 },
      { type: 'notify', state: 'MASTER' },
      { type: 'arm', timer: 'advert', ms: 1_000 },
    ]);
  });

  it('sends an advert every advert interval', () => {
    expect(step(inState('MASTER'), { type: 'timer-fired', timer: 'advert' }).actions).toEqual([
      { type: 'send-advert', priority: 100 },
      { type: 'arm', timer: 'advert', ms: 1_000 },
    ]);
  });

  it('repeats the GARP burst garp_master_delay later', () => {
    expect(step(inState('MASTER'), { type: 'timer-fired', timer: 'garp-master-delay' }).actions).toEqual([
      { type: 'gratuitous-arp', repeat: 5 },
    ]);
  });

  it('yields to a higher priority without a priority-0 advert (RFC 5798 §6.4.3)', () => {
    expect(step(inState('MASTER'), rx({ priority: 150 })).actions).toEqual([
      { type: 'cancel', timer: 'advert' },
      { type: 'cancel', timer: 'garp-master-delay' },
      { type: 'cancel', timer: 'garp-lower-prio-delay' },
      { type: 'transition', from: 'MASTER', to: 'BACKUP', reason: 'higher-priority' },
      { type: 'release-vips' },
      { type: 'notify', state: 'BACKUP' },
      { type: 'arm', timer: 'master-down', ms: masterDownMs(100, 1_000) },
    ]);
  });

  it('answers a priority-0 advert with an advert at once (RFC 5798 §6.4.3)', () => {
    expect(step(inState('MASTER'), rx({ priority: 0 })).actions).toEqual([
      { type: 'send-advert', priority: 100 },
      { type: 'arm', timer: 'advert', ms: 1_000 },
    ]);
  });

  it('sends priority 0 and releases the VIPs on shutdown', () => {
    const { actions } = step(inState('MASTER'), { type: 'shutdown' });
    expect(actions.filter((a) => a.type !== 'cancel')).toEqual([
      { type: 'send-advert', priority: 0 },
      { type: 'release-vips' },
      { type: 'transition', from: 'MASTER', to: 'STOP', reason: 'shutdown' },
      { type: 'notify', state: 'STOP' },
    ]);
  });

  it('keepalived compat: a master hearing a lower priority forces a new election', () => {
    expect(step(inState('MASTER'), rx({ priority: 50 })).actions).toEqual([
      { type: 'send-advert', priority: 100 },
      { type: 'gratuitous-arp', repeat: 5 },
      { type: 'arm', timer: 'garp-lower-prio-delay', ms: 5_000 },
      { type: 'notify-master-rx-lower-pri', from: '192.0.2.11', priority: 50 },
      { type: 'arm', timer: 'advert', ms: 1_000 },
    ]);
  });

  it('keepalived compat: lower_prio_no_advert stays silent and does not re-arm the advert timer', () => {
    const s = inState('MASTER', { lowerPrioNoAdvert: true, garpLowerPrioRepeat: 0 });
    expect(step(s, rx({ priority: 50 })).actions).toEqual([
      { type: 'notify-master-rx-lower-pri', from: '192.0.2.11', priority: 50 },
    ]);
  });

  it('keepalived compat: higher_prio_send_advert sends one advert before yielding', () => {
    const { next, actions } = step(inState('MASTER', { higherPrioSendAdvert: true }), rx({ priority: 150 }));
    expect(next.state).toBe('BACKUP');
    expect(actions[0]).toEqual({ type: 'send-advert', priority: 100 });
  });

  it('keepalived compat: any packet for the VRID re-arms the advert timer, even an invalid one', () => {
    expect(step(inState('MASTER'), rx({ addresses: ['192.0.2.100'] })).actions).toEqual([
      { type: 'discard-advert', reason: 'addr-count-mismatch', from: '192.0.2.11', priority: 100 },
      { type: 'arm', timer: 'advert', ms: 1_000 },
    ]);
  });

  it('ignores an equal-priority advert carrying our own address', () => {
    const { next, actions } = step(inState('MASTER'), rx({}, '192.0.2.12'));
    expect(next.state).toBe('MASTER');
    expect(actions[0]).toMatchObject({ type: 'discard-advert', reason: 'own-address' });
  });

  it('keepalived compat: two address owners: the local one drops to 254 and yields', () => {
    const { next, actions } = step(inState('MASTER', { priority: 255 }), rx({ priority: 255 }, '192.0.2.1'));
    expect(actions).toContainEqual({ type: 'owner-conflict', from: '192.0.2.1' });
    expect(next).toMatchObject({ state: 'BACKUP', basePriority: 254, effectivePriority: 254 });
  });

  it('keepalived compat: going FAULT from MASTER sends priority 0 twice (down_instance)', () => {
    const s = inState('MASTER', { trackers: [IFACE_0] });
    const zeros = step(s, ifaceDown).actions.filter((a) => a.type === 'send-advert' && a.priority === 0);
    expect(zeros).toHaveLength(2);
  });

  it('v3: a master yielding learns the new master interval for its down timer', () => {
    const s = inState('MASTER', { version: 3 });
    const { next, actions } = step(s, rx({ version: 3, priority: 200, advertIntervalMs: 500 }));
    expect(next.masterAdvertIntervalMs).toBe(500);
    expect(actions).toContainEqual({ type: 'arm', timer: 'master-down', ms: masterDownMs(100, 500, { version: 3 }) });
  });
});

describe('BACKUP receiving adverts', () => {
  it('restarts the down timer on an equal or higher priority advert (RFC 5798 §6.4.2)', () => {
    const { next, actions } = step(inState('BACKUP'), rx({ priority: 100 }, '192.0.2.1'));
    expect(actions).toEqual([{ type: 'arm', timer: 'master-down', ms: 3_609.375 }]);
    expect(next).toMatchObject({ masterAddress: '192.0.2.1', masterPriority: 100 });
  });

  it('shortens the down timer to skew time on priority 0 (RFC 5798 §6.4.2)', () => {
    const { next, actions } = step(inState('BACKUP'), rx({ priority: 0 }));
    expect(actions).toEqual([{ type: 'arm', timer: 'master-down', ms: skewMs(100, 1_000) }]);
    expect(next.downTimerMs).toBe(609.375);
  });

  it('discards a lower priority and lets the down timer run on (preempt)', () => {
    const { next, actions } = step(inState('BACKUP'), rx({ priority: 99 }));
    expect(actions).toEqual([{ type: 'discard-advert', reason: 'lower-priority', from: '192.0.2.11', priority: 99 }]);
    expect(next.state).toBe('BACKUP');
  });

  it('keepalived compat: nopreempt accepts a lower priority as master', () => {
    const { actions } = step(inState('BACKUP', { nopreempt: true }), rx({ priority: 1 }));
    expect(actions).toEqual([{ type: 'arm', timer: 'master-down', ms: 3_609.375 }]);
  });

  it('v3: learns the master interval (RFC 5798 §6.4.2)', () => {
    const s = inState('BACKUP', { version: 3 });
    const { next, actions } = step(s, rx({ version: 3, priority: 200, advertIntervalMs: 500 }));
    expect(next.masterAdvertIntervalMs).toBe(500);
    expect(actions).toEqual([{ type: 'arm', timer: 'master-down', ms: 1_804.687 }]);
  });

  it('v3: a priority-0 skew uses the learnt master interval', () => {
    const s = run(inState('BACKUP', { version: 3 }), [rx({ version: 3, priority: 200, advertIntervalMs: 500 })]).next;
    expect(step(s, rx({ version: 3, priority: 0, advertIntervalMs: 500 })).actions).toEqual([
      { type: 'arm', timer: 'master-down', ms: 304.687 },
    ]);
  });

  it.each<[string, Partial<InstanceOptions>, Partial<Advert>, string]>([
    ['wrong VRID', {}, { vrid: 52 }, 'wrong-vrid'],
    ['v3 advert on a v2 instance', {}, { version: 3 }, 'wrong-version'],
    ['auth type', { auth: { type: 'pass', password: 'secret12' } }, {}, 'auth-type-mismatch'],
    ['password', { auth: { type: 'pass', password: 'secret12' } }, { auth: { type: 'pass', password: 'secret13' } }, 'auth-failure'],
    ['v2 interval (RFC 3768 §7.1)', {}, { advertIntervalMs: 2_000 }, 'interval-mismatch'],
    ['address count', {}, { addresses: ['192.0.2.100'] }, 'addr-count-mismatch'],
    ['missing VIP', {}, { addresses: ['192.0.2.100', '192.0.2.102'] }, 'addr-missing'],
  ])('discards on %s without touching the timer', (_name, over, adv, reason) => {
    const { next, actions } = step(inState('BACKUP', over), rx(adv));
    expect(actions).toEqual([{ type: 'discard-advert', reason, from: '192.0.2.11', priority: 100 }]);
    expect(next.masterAddress).toBeNull();
  });

  it('compares VIPs as addresses, in any order, and passwords on 8 bytes', () => {
    const s = inState('BACKUP', { vips: ['2001:db8::1', '2001:db8::2'], version: 3, auth: { type: 'none' } });
    const ok = step(s, rx({ version: 3, family: 6, addresses: ['2001:DB8:0::2', '2001:db8::0:1'] }, 'fe80::1'));
    expect(ok.actions[0]).toMatchObject({ type: 'arm' });
    const pw = inState('BACKUP', { auth: { type: 'pass', password: 'secret12' } });
    expect(step(pw, rx({ auth: { type: 'pass', password: 'secret12-long' } })).actions[0]).toMatchObject({ type: 'arm' });
  });

  it('keepalived compat: skip_check_adv_addr skips the address checks for the known master only', () => {
    const s = run(inState('BACKUP', { skipCheckAdvAddr: true }), [rx({ priority: 150 })]).next;
    expect(step(s, rx({ priority: 150, addresses: [] })).actions[0]).toMatchObject({ type: 'arm' });
    expect(step(s, rx({ priority: 150, addresses: [] }, '192.0.2.13')).actions[0]).toMatchObject({
      reason: 'addr-count-mismatch',
    });
  });
});

describe('keepalived compat: preempt_delay', () => {
  const delayed = { priority: 200, preemptDelayMs: 4_000 };
  it('starts on the first lower-priority advert and accepts it as master', () => {
    const { next, actions } = step(inState('BACKUP', delayed), rx({ priority: 100 }));
    expect(actions).toEqual([
      { type: 'arm', timer: 'master-down', ms: masterDownMs(200, 1_000) },
      { type: 'arm', timer: 'preempt-delay', ms: 4_000 },
    ]);
    expect(next.preempt).toBe('running');
  });

  it('once elapsed, lower-priority adverts are discarded', () => {
    const s = run(inState('BACKUP', delayed), [rx(), { type: 'timer-fired', timer: 'preempt-delay' }]).next;
    expect(s.preempt).toBe('elapsed');
    expect(step(s, rx()).actions[0]).toMatchObject({ reason: 'lower-priority' });
  });

  it('is stopped by a higher or equal priority advert', () => {
    const s = run(inState('BACKUP', delayed), [rx()]).next;
    const { next, actions } = step(s, rx({ priority: 200 }, '192.0.2.13'));
    expect(actions).toContainEqual({ type: 'cancel', timer: 'preempt-delay' });
    expect(next.preempt).toBe('idle');
  });
});

describe('keepalived compat: configuration clean-ups (vrrp_complete_instance)', () => {
  const NO_PRIORITY: InstanceOptions = { vrid: 51, primaryAddress: '192.0.2.12' };
  it.each<[string, InstanceOptions, Partial<Instance['config']>, string]>([
    ['state MASTER without priority means 255', { ...NO_PRIORITY, initialState: 'MASTER' }, { priority: 255 }, 'MASTER'],
    ['no priority means 100', NO_PRIORITY, { priority: 100 }, 'BACKUP'],
    ['priority 255 wants MASTER', { ...OPTS, priority: 255 }, { priority: 255 }, 'MASTER'],
    ['nopreempt is cleared for an owner', { ...OPTS, priority: 255, nopreempt: true }, { nopreempt: false }, 'MASTER'],
    ['nopreempt is cleared by state MASTER', { ...OPTS, initialState: 'MASTER', nopreempt: true }, { nopreempt: false }, 'MASTER'],
    ['preempt_delay is cleared by state MASTER', { ...OPTS, initialState: 'MASTER', preemptDelayMs: 5 }, { preemptDelayMs: 0 }, 'MASTER'],
    ['preempt_delay is cleared by nopreempt', { ...OPTS, nopreempt: true, preemptDelayMs: 5 }, { preemptDelayMs: 0, nopreempt: true }, 'BACKUP'],
    ['garp_lower_prio_* default to garp_master_*', { ...OPTS, garpMasterRepeat: 2, garpMasterDelayMs: 7 }, { garpLowerPrioRepeat: 2, garpLowerPrioDelayMs: 7 }, 'BACKUP'],
  ])('%s', (_name, options, config, wantState) => {
    const s = createInstance(options);
    expect(s.config).toMatchObject(config);
    expect(s.wantState).toBe(wantState);
  });
});

describe('tracking', () => {
  const script = (weight: number, extra: Partial<Tracker> = {}): Tracker => ({ id: 'chk', kind: 'script', weight, ...extra });
  const chk = (type: 'up' | 'down'): VrrpEvent => ({ type: 'track-changed', tracker: 'chk', status: { type } });

  it('effective priority follows the trackers and moves a running down timer', () => {
    const s = inState('BACKUP', { priority: 150, trackers: [script(-20, { initial: { type: 'up' } })] });
    const { next, actions } = step(s, chk('down'));
    expect(next.effectivePriority).toBe(130);
    const shift = masterDownMs(130, 1_000) - masterDownMs(150, 1_000);
    expect(actions).toEqual([
      { type: 'notify-priority', from: 150, to: 130 },
      { type: 'shift', timer: 'master-down', deltaMs: shift },
    ]);
  });

  it('keepalived compat: after a priority-0 advert a priority change shifts from the skew timer', () => {
    const s = run(inState('BACKUP', { trackers: [script(10, { initial: { type: 'down' } })] }), [rx({ priority: 0 })]).next;
    const { actions } = step(s, chk('up'));
    expect(actions).toContainEqual({ type: 'shift', timer: 'master-down', deltaMs: masterDownMs(110, 1_000) - skewMs(100, 1_000) });
  });

  it('a master changes priority without any immediate advert', () => {
    const s = inState('MASTER', { priority: 150, trackers: [script(-60, { initial: { type: 'up' } })] });
    expect(step(s, chk('down')).actions).toEqual([{ type: 'notify-priority', from: 150, to: 90 }]);
  });

  it('keepalived compat: an unreported weight-0 script holds the instance in a silent FAULT', () => {
    const s = createInstance({ ...OPTS, trackers: [script(0)] });
    const started = step(s, START);
    expect(started.next.state).toBe('FAULT');
    expect(started.actions).toEqual([{ type: 'transition', from: 'INIT', to: 'FAULT', reason: 'init' }]);
    const ready = step(started.next, chk('up'));
    expect(transitionOf(ready.actions)).toMatchObject({ to: 'BACKUP', reason: 'trackers-ready' });
    expect(ready.actions).toContainEqual({ type: 'notify', state: 'BACKUP' });
  });

  it('keepalived compat: an owner whose weight-0 script first reports OK goes straight to MASTER', () => {
    const s = run(createInstance({ ...OPTS, priority: 255, trackers: [script(0)] }), [START, chk('up')]).next;
    expect(s.state).toBe('MASTER');
  });

  it('keepalived compat: a first failing report of a weight-0 script notifies FAULT', () => {
    const s = run(createInstance({ ...OPTS, trackers: [script(0)] }), [START]).next;
    const { next, actions } = step(s, chk('down'));
    expect(actions).toEqual([{ type: 'notify', state: 'FAULT' }]);
    expect(next.wantState).toBe('FAULT');
  });

  it('keepalived compat: an owner leaving FAULT goes to BACKUP, not MASTER', () => {
    const s = inState('FAULT', { priority: 255 });
    expect(step(s, ifaceUp).next.state).toBe('BACKUP');
  });

  it('a second failing tracker in FAULT changes nothing', () => {
    const two: Tracker[] = [IFACE_0, { id: 'eth2', kind: 'interface', weight: 0 }];
    const s = run(createInstance({ ...OPTS, trackers: two }), [START, ifaceDown]).next;
    const both = step(s, { type: 'track-changed', tracker: 'eth2', status: { type: 'down' } });
    expect(both.actions).toEqual([]);
    expect(step(both.next, ifaceUp)).toEqual({ next: { ...both.next, trackers: { ...both.next.trackers, eth1: { type: 'up' } } }, actions: [] });
  });

  it('starts in FAULT (and notifies) when a weight-0 tracker is down at start', () => {
    const s = createInstance({ ...OPTS, trackers: [{ ...IFACE_0, initial: { type: 'down' } }] });
    expect(step(s, START).actions).toEqual([
      { type: 'transition', from: 'INIT', to: 'FAULT', reason: 'init' },
      { type: 'notify', state: 'FAULT' },
    ]);
  });

  it('ignores reports for trackers it does not have', () => {
    const s = inState('BACKUP');
    expect(step(s, { type: 'track-changed', tracker: 'nope', status: { type: 'down' } })).toEqual({ next: s, actions: [] });
  });

  it('priority-changed sets a new base priority', () => {
    expect(step(inState('MASTER'), { type: 'priority-changed', priority: 120 }).next.effectivePriority).toBe(120);
  });
});

describe('events from the sync group', () => {
  it.each<[VrrpState, VrrpEvent, VrrpState, string | undefined]>([
    ['BACKUP', { type: 'sync-master' }, 'MASTER', 'sync-group'],
    ['BACKUP', { type: 'sync-hold' }, 'BACKUP', undefined],
    ['BACKUP', { type: 'sync-backup' }, 'BACKUP', undefined],
    ['BACKUP', { type: 'sync-fault', isFaulty: true }, 'FAULT', 'sync-group'],
    ['MASTER', { type: 'sync-backup' }, 'BACKUP', 'sync-group'],
    ['MASTER', { type: 'sync-fault', isFaulty: true }, 'FAULT', 'sync-group'],
    ['MASTER', { type: 'sync-master' }, 'MASTER', undefined],
    ['MASTER', { type: 'sync-hold' }, 'MASTER', undefined],
    ['FAULT', { type: 'sync-master' }, 'FAULT', undefined],
    ['FAULT', { type: 'sync-backup' }, 'FAULT', undefined], // its own tracker still fails
    ['FAULT', { type: 'sync-fault', isFaulty: false }, 'FAULT', undefined],
    ['INIT', { type: 'sync-master' }, 'INIT', undefined],
  ])('%s + %o → %s', (from, ev, to, reason) => {
    const { next, actions } = step(inState(from), ev);
    expect(next.state).toBe(to);
    expect(transitionOf(actions)).toEqual(reason === undefined ? undefined : { type: 'transition', from, to, reason });
  });

  it('sync-hold re-arms a full down interval and records the wish for MASTER', () => {
    const { next, actions } = step(inState('BACKUP'), { type: 'sync-hold' });
    expect(next.wantState).toBe('MASTER');
    expect(actions).toEqual([{ type: 'arm', timer: 'master-down', ms: 3_609.375 }]);
  });

  it('keepalived compat: a master pulled into FAULT by its group sends priority 0 once', () => {
    const { actions } = step(inState('MASTER'), { type: 'sync-fault', isFaulty: true });
    expect(actions.filter((a) => a.type === 'send-advert')).toEqual([{ type: 'send-advert', priority: 0 }]);
  });

  it('leaves a group FAULT for BACKUP when the group recovers, and stays while its own tracker fails', () => {
    const faulted = step(inState('BACKUP', { trackers: [IFACE_0] }), { type: 'sync-fault', isFaulty: true }).next;
    expect(faulted).toMatchObject({ state: 'FAULT', isGroupFault: true });
    expect(step(faulted, { type: 'sync-backup' }).next.state).toBe('FAULT');
    const back = step(faulted, { type: 'sync-fault', isFaulty: false });
    expect(transitionOf(back.actions)).toMatchObject({ to: 'BACKUP', reason: 'sync-group' });
    const own = run(faulted, [ifaceDown, { type: 'sync-fault', isFaulty: false }]);
    expect(own.next.state).toBe('FAULT');
    expect(step(own.next, ifaceUp).next.state).toBe('BACKUP');
  });

  it('records a group fault before start and starts in a silent FAULT', () => {
    const s = run(createInstance(OPTS), [{ type: 'sync-fault', isFaulty: true }, START]);
    expect(s.next.state).toBe('FAULT');
    expect(s.actions).toEqual([{ type: 'transition', from: 'INIT', to: 'FAULT', reason: 'init' }]);
  });
});

describe('timers out of their state', () => {
  it.each<[VrrpState, VrrpEvent]>([
    ['BACKUP', { type: 'timer-fired', timer: 'preempt-delay' }],
    ['BACKUP', { type: 'timer-fired', timer: 'advert' }],
    ['MASTER', { type: 'timer-fired', timer: 'preempt-delay' }],
    ['FAULT', { type: 'timer-fired', timer: 'master-down' }],
    ['BACKUP', START],
    ['MASTER', START],
  ])('%s ignores %o', (state, ev) => {
    const s = inState(state);
    expect(step(s, ev)).toEqual({ next: s, actions: [] });
  });

  it('the lower-priority GARP repeat fires in MASTER', () => {
    expect(step(inState('MASTER'), { type: 'timer-fired', timer: 'garp-lower-prio-delay' }).actions).toEqual([
      { type: 'gratuitous-arp', repeat: 5 },
    ]);
  });
});
