/**
 * The state changes of one VRRP instance: entering and leaving MASTER, FAULT
 * and STOP, and priority/tracker bookkeeping. Pure; used by instance.ts and
 * instance-receive.ts.
 */
import type { Action, Instance, InstanceConfig, Step, TimerName, TransitionReason, VrrpEvent, VrrpState } from './instance.js';
import { masterDownMs, minSkewMs } from './timing.js';
import { effectivePriority, initialStatus, isTrackerFaulty, isTrackerPending, OWNER_PRIORITY } from './tracker.js';

/** The instance's own trackers put it in FAULT. */
export function isOwnFaulty(s: Instance): boolean {
  return s.config.trackers.some((t) => isTrackerFaulty(t, s.trackers[t.id] ?? initialStatus(t)));
}

/** A weight-0 tracker has not reported yet. */
export function isPending(s: Instance): boolean {
  return s.config.trackers.some((t) => isTrackerPending(t, s.trackers[t.id] ?? initialStatus(t)));
}

export function isBlocked(s: Instance): boolean {
  return isOwnFaulty(s) || isPending(s) || s.isGroupFault;
}

export function stay(s: Instance, actions: readonly Action[] = []): Step {
  return { next: s, actions };
}

export function assertNever(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}

export function downTimer(c: InstanceConfig, priority: number, masterAdvertIntervalMs: number): number {
  return masterDownMs(priority, masterAdvertIntervalMs, { version: c.version, downTimerAdverts: c.downTimerAdverts });
}

export function effectivePriorityOf(s: Instance): number {
  return effectivePriority(s.basePriority, s.config.trackers, s.trackers);
}

export function fullDownTimer(s: Instance): number {
  return downTimer(s.config, s.effectivePriority, s.masterAdvertIntervalMs);
}

/** keepalived: vrrp_init_state(). */
export function start(s: Instance, isHeldBySyncGroup: boolean): Step {
  if (isOwnFaulty(s)) {
    const next: Instance = { ...s, state: 'FAULT', wantState: 'FAULT' };
    return stay(next, [transition(s, 'FAULT', 'init'), { type: 'notify', state: 'FAULT' }]);
  }
  if (isPending(s) || s.isGroupFault) {
    // keepalived: vrrp_init_state() enters FAULT but notifies only for a failed tracker.
    return stay({ ...s, state: 'FAULT' }, [transition(s, 'FAULT', 'init')]);
  }
  if (s.wantState === 'MASTER' && s.basePriority === OWNER_PRIORITY && !isHeldBySyncGroup) {
    // RFC 5798 §6.4.1: the owner goes straight to MASTER.
    return enterMaster(s, 'address-owner');
  }
  // keepalived: vrrp_init_state(): a member wanting MASTER in a BACKUP group waits one interval + minimal skew.
  const ms =
    isHeldBySyncGroup && s.wantState === 'MASTER'
      ? s.masterAdvertIntervalMs + minSkewMs(s.masterAdvertIntervalMs, s.config.version)
      : fullDownTimer(s);
  const next: Instance = { ...s, state: 'BACKUP', downTimerMs: ms };
  return stay(next, [
    transition(s, 'BACKUP', 'init'),
    { type: 'notify', state: 'BACKUP' },
    { type: 'arm', timer: 'master-down', ms },
  ]);
}

function transition(s: Instance, to: VrrpState, reason: TransitionReason): Action {
  return { type: 'transition', from: s.state, to, reason };
}

/** keepalived: vrrp_state_goto_master() → vrrp_state_master_tx() → vrrp_state_become_master(). */
export function enterMaster(s: Instance, reason: TransitionReason, isDownTimerFired = false, pre: readonly Action[] = []): Step {
  const c = s.config;
  const actions: Action[] = [...pre];
  if (s.state === 'BACKUP' && !isDownTimerFired) actions.push({ type: 'cancel', timer: 'master-down' });
  if (s.preempt === 'running') actions.push({ type: 'cancel', timer: 'preempt-delay' });
  // The advert goes first so the old master drops the VIPs before our GARPs.
  actions.push({ type: 'send-advert', priority: s.effectivePriority });
  actions.push(transition(s, 'MASTER', reason), { type: 'claim-vips' });
  if (c.garpMasterRepeat > 0) {
    actions.push({ type: 'gratuitous-arp', repeat: c.garpMasterRepeat });
    if (c.garpMasterDelayMs > 0) actions.push({ type: 'arm', timer: 'garp-master-delay', ms: c.garpMasterDelayMs });
  }
  actions.push({ type: 'notify', state: 'MASTER' }, { type: 'arm', timer: 'advert', ms: c.advertIntervalMs });
  // RFC 5798 §6.4.3: a master advertises its own interval.
  const next: Instance = {
    ...s,
    state: 'MASTER',
    wantState: 'MASTER',
    masterAdvertIntervalMs: c.advertIntervalMs,
    preempt: 'idle',
  };
  return stay(next, actions);
}

const MASTER_TIMERS: readonly TimerName[] = ['advert', 'garp-master-delay', 'garp-lower-prio-delay'];

/**
 * keepalived: vrrp_state_leave_master(): going FAULT sends a priority-0 advert,
 * and down_instance() asks vrrp_restore_interface() for a second one.
 */
export function leaveMaster(
  s: Instance,
  to: 'BACKUP' | 'FAULT',
  reason: TransitionReason,
  priorityZeroAdverts: number,
  pre: readonly Action[] = [],
): Step {
  const actions: Action[] = [...pre, ...MASTER_TIMERS.map((timer): Action => ({ type: 'cancel', timer }))];
  actions.push(transition(s, to, reason));
  for (let i = 0; i < priorityZeroAdverts; i++) actions.push({ type: 'send-advert', priority: 0 });
  actions.push({ type: 'release-vips' }, { type: 'notify', state: to });
  const ms = fullDownTimer(s);
  if (to === 'BACKUP') actions.push({ type: 'arm', timer: 'master-down', ms });
  return stay({ ...s, state: to, wantState: to, downTimerMs: ms, preempt: 'idle' }, actions);
}

function backupTimers(s: Instance): Action[] {
  const actions: Action[] = [{ type: 'cancel', timer: 'master-down' }];
  if (s.preempt === 'running') actions.push({ type: 'cancel', timer: 'preempt-delay' });
  return actions;
}

/** keepalived: down_instance(). */
function enterFault(s: Instance, reason: TransitionReason, pre: readonly Action[]): Step {
  const own = reason === 'tracker-fault';
  switch (s.state) {
    case 'MASTER':
      return leaveMaster(s, 'FAULT', reason, own ? 2 : 1, pre);
    case 'BACKUP': {
      const actions = [...pre, ...backupTimers(s), transition(s, 'FAULT', reason)];
      actions.push({ type: 'notify', state: 'FAULT' });
      return stay({ ...s, state: 'FAULT', wantState: 'FAULT', preempt: 'idle' }, actions);
    }
    case 'FAULT':
      // keepalived: vrrp_state_leave_fault() notifies FAULT again when a tracker fails while in FAULT.
      return stay({ ...s, wantState: 'FAULT' }, own ? [...pre, { type: 'notify', state: 'FAULT' }] : pre);
    case 'INIT':
    case 'STOP':
      return stay(s, pre);
    default:
      return assertNever(s.state);
  }
}

/** keepalived: try_up_instance() → vrrp_state_leave_fault(). */
export function tryUp(s: Instance, pre: readonly Action[], reason: TransitionReason): Step {
  if (s.wantState === 'MASTER' && s.basePriority === OWNER_PRIORITY) return enterMaster(s, 'address-owner', false, pre);
  const base: Instance = { ...s, wantState: 'BACKUP', masterAdvertIntervalMs: s.config.advertIntervalMs };
  const ms = fullDownTimer(base);
  const actions: Action[] = [...pre, transition(s, 'BACKUP', reason), { type: 'notify', state: 'BACKUP' }];
  actions.push({ type: 'arm', timer: 'master-down', ms });
  return stay({ ...base, state: 'BACKUP', downTimerMs: ms, preempt: 'idle' }, actions);
}

export function groupFault(s: Instance, isFaulty: boolean): Step {
  const next: Instance = { ...s, isGroupFault: isFaulty };
  if (isFaulty && !isBlocked(s)) return enterFault({ ...next, wantState: 'FAULT' }, 'sync-group', []);
  // keepalived: vrrp_sync_backup() sets wantstate BACKUP before vrrp_state_leave_fault().
  if (!isFaulty && s.state === 'FAULT' && !isBlocked(next)) return tryUp({ ...next, wantState: 'BACKUP' }, [], 'sync-group');
  return stay(next);
}

export function applyTracking(
  s: Instance,
  ev: Extract<VrrpEvent, { type: 'track-changed' | 'priority-changed' }>,
): Instance {
  if (ev.type === 'priority-changed') return { ...s, basePriority: ev.priority };
  if (!s.config.trackers.some((t) => t.id === ev.tracker)) return s;
  return { ...s, trackers: { ...s.trackers, [ev.tracker]: ev.status } };
}

/**
 * keepalived: vrrp_set_effective_priority(): a new effective priority also
 * moves a running master-down timer by the change in the down interval.
 */
export function reprioritize(s: Instance): Step {
  const priority = effectivePriorityOf(s);
  if (priority === s.effectivePriority) return stay(s);
  const ms = downTimer(s.config, priority, s.masterAdvertIntervalMs);
  const actions: Action[] = [{ type: 'notify-priority', from: s.effectivePriority, to: priority }];
  if (s.state === 'BACKUP' && ms !== s.downTimerMs) {
    actions.push({ type: 'shift', timer: 'master-down', deltaMs: ms - s.downTimerMs });
  }
  return stay({ ...s, effectivePriority: priority, downTimerMs: ms }, actions);
}

/** A tracker or the base priority changed: new priority first, then FAULT in or out. */
export function retrack(before: Instance, changed: Instance): Step {
  const { next, actions } = reprioritize(changed);
  if (isOwnFaulty(next) && !isOwnFaulty(before)) {
    return enterFault({ ...next, wantState: 'FAULT' }, 'tracker-fault', actions);
  }
  if (next.state === 'FAULT' && !isBlocked(next) && isBlocked(before)) {
    return tryUp(next, actions, next.wantState === 'FAULT' ? 'tracker-recovered' : 'trackers-ready');
  }
  return stay(next, actions);
}

export function shutdown(s: Instance): Step {
  const actions: Action[] = [];
  if (s.state === 'MASTER') {
    actions.push(...MASTER_TIMERS.map((timer): Action => ({ type: 'cancel', timer })));
    // keepalived: restore_vrrp_interfaces(): a stopping master tells the backups (RFC 5798 §6.4.3).
    actions.push({ type: 'send-advert', priority: 0 }, { type: 'release-vips' });
  } else if (s.state === 'BACKUP') {
    actions.push(...backupTimers(s));
  }
  actions.push(transition(s, 'STOP', 'shutdown'), { type: 'notify', state: 'STOP' });
  return stay({ ...s, state: 'STOP' }, actions);
}
