/**
 * One VRRP instance as a pure state machine: step(instance, event) returns the
 * next instance and the actions a driver must run. No clock, no IO, no logs.
 * RFC 5798 §6.4 (RFC 3768 §6.4 for v2), with keepalived 2.2.7's deviations
 * marked `keepalived: <function>()`.
 */
import type { Advert, AdvertAuth } from './advert.js';
import { backupReceive, masterReceive } from './instance-receive.js';
import {
  applyTracking,
  assertNever,
  downTimer,
  enterMaster,
  fullDownTimer,
  groupFault,
  isBlocked,
  leaveMaster,
  reprioritize,
  retrack,
  shutdown,
  start,
  stay,
  tryUp,
} from './instance-transitions.js';
import { DEFAULT_DOWN_TIMER_ADVERTS, type VrrpVersion } from './timing.js';
import { effectivePriority, initialStatus, OWNER_PRIORITY, type Tracker, type TrackerStatus } from './tracker.js';

export { isOwnFaulty, isPending } from './instance-transitions.js';

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';
export type WantState = 'BACKUP' | 'MASTER' | 'FAULT';
export type TimerName = 'master-down' | 'advert' | 'preempt-delay' | 'garp-master-delay' | 'garp-lower-prio-delay';

export interface InstanceOptions {
  readonly vrid: number;
  /** Default 2. */
  readonly version?: VrrpVersion;
  /** Default 100, or 255 when initialState is MASTER (keepalived: vrrp_complete_instance()). */
  readonly priority?: number;
  /** keepalived `state`; default MASTER iff priority is 255. */
  readonly initialState?: 'MASTER' | 'BACKUP';
  /** Default 1000. */
  readonly advertIntervalMs?: number;
  /** Our advert source address: the tie-break when priorities are equal. */
  readonly primaryAddress: string;
  readonly vips?: readonly string[];
  readonly auth?: AdvertAuth;
  readonly nopreempt?: boolean;
  readonly preemptDelayMs?: number;
  readonly downTimerAdverts?: number;
  readonly lowerPrioNoAdvert?: boolean;
  readonly higherPrioSendAdvert?: boolean;
  readonly skipCheckAdvAddr?: boolean;
  readonly garpMasterRepeat?: number;
  readonly garpMasterDelayMs?: number;
  readonly garpLowerPrioRepeat?: number;
  readonly garpLowerPrioDelayMs?: number;
  readonly trackers?: readonly Tracker[];
}

/** InstanceOptions with defaults applied and keepalived's incompatible combinations cleared. */
export interface InstanceConfig {
  readonly vrid: number;
  readonly version: VrrpVersion;
  readonly priority: number;
  readonly advertIntervalMs: number;
  readonly primaryAddress: string;
  readonly vips: readonly string[];
  readonly auth: AdvertAuth;
  readonly nopreempt: boolean;
  readonly preemptDelayMs: number;
  readonly downTimerAdverts: number;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  readonly skipCheckAdvAddr: boolean;
  readonly garpMasterRepeat: number;
  readonly garpMasterDelayMs: number;
  readonly garpLowerPrioRepeat: number;
  readonly garpLowerPrioDelayMs: number;
  readonly trackers: readonly Tracker[];
}

export interface Instance {
  readonly config: InstanceConfig;
  readonly state: VrrpState;
  /** keepalived's wantstate: where the instance would be, ignoring its sync group. */
  readonly wantState: WantState;
  /** The configured priority; drops to 254 on an owner clash (keepalived: vrrp_state_master_rx()). */
  readonly basePriority: number;
  readonly effectivePriority: number;
  readonly trackers: Readonly<Record<string, TrackerStatus>>;
  /** Another member of our sync group is in FAULT (or not ready) on its own account. */
  readonly isGroupFault: boolean;
  /** Own interval, or (v3, BACKUP) the one learnt from the master's adverts. */
  readonly masterAdvertIntervalMs: number;
  /** keepalived's ms_down_timer: the last master-down duration armed. */
  readonly downTimerMs: number;
  readonly preempt: 'idle' | 'running' | 'elapsed';
  readonly masterAddress: string | null;
  readonly masterPriority: number;
}

export type VrrpEvent =
  | { readonly type: 'start'; readonly isHeldBySyncGroup?: boolean }
  | { readonly type: 'advert-received'; readonly advert: Advert; readonly from: string }
  | { readonly type: 'timer-fired'; readonly timer: TimerName }
  | { readonly type: 'track-changed'; readonly tracker: string; readonly status: TrackerStatus }
  | { readonly type: 'priority-changed'; readonly priority: number }
  | { readonly type: 'shutdown' }
  // From the sync group (sync-group.ts), never from the network:
  | { readonly type: 'sync-hold' }
  | { readonly type: 'sync-master' }
  | { readonly type: 'sync-backup' }
  | { readonly type: 'sync-fault'; readonly isFaulty: boolean };

export type TransitionReason =
  | 'init'
  | 'address-owner'
  | 'master-down'
  | 'higher-priority'
  | 'higher-address'
  | 'tracker-fault'
  | 'tracker-recovered'
  | 'trackers-ready'
  | 'sync-group'
  | 'shutdown';

export type DiscardReason =
  | 'wrong-vrid'
  | 'wrong-version'
  | 'auth-type-mismatch'
  | 'auth-failure'
  | 'interval-mismatch'
  | 'addr-count-mismatch'
  | 'addr-missing'
  | 'lower-priority'
  | 'own-address';

export type Action =
  | { readonly type: 'send-advert'; readonly priority: number }
  | { readonly type: 'arm'; readonly timer: TimerName; readonly ms: number }
  | { readonly type: 'cancel'; readonly timer: TimerName }
  /** Move a running timer by deltaMs (keepalived: vrrp_set_effective_priority()). */
  | { readonly type: 'shift'; readonly timer: 'master-down'; readonly deltaMs: number }
  | { readonly type: 'claim-vips' }
  | { readonly type: 'release-vips' }
  | { readonly type: 'gratuitous-arp'; readonly repeat: number }
  | { readonly type: 'transition'; readonly from: VrrpState; readonly to: VrrpState; readonly reason: TransitionReason }
  | { readonly type: 'notify'; readonly state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' }
  | { readonly type: 'notify-priority'; readonly from: number; readonly to: number }
  | { readonly type: 'notify-master-rx-lower-pri'; readonly from: string; readonly priority: number }
  | { readonly type: 'discard-advert'; readonly reason: DiscardReason; readonly from: string; readonly priority: number }
  | { readonly type: 'owner-conflict'; readonly from: string };

export interface Step {
  readonly next: Instance;
  readonly actions: readonly Action[];
}

/** keepalived: vrrp_complete_instance() defaults and clean-ups. */
export function createInstance(o: InstanceOptions): Instance {
  const priority = o.priority ?? (o.initialState === 'MASTER' ? OWNER_PRIORITY : 100);
  const wantState: WantState = o.initialState ?? (priority === OWNER_PRIORITY ? 'MASTER' : 'BACKUP');
  // nopreempt needs a non-owner that does not start as MASTER; preempt_delay also needs preemption.
  const nopreempt = (o.nopreempt ?? false) && priority !== OWNER_PRIORITY && wantState !== 'MASTER';
  const preemptDelayMs = nopreempt || wantState === 'MASTER' ? 0 : (o.preemptDelayMs ?? 0);
  const garpMasterRepeat = o.garpMasterRepeat ?? 5;
  const garpMasterDelayMs = o.garpMasterDelayMs ?? 5_000;
  const config: InstanceConfig = {
    vrid: o.vrid,
    version: o.version ?? 2,
    priority,
    advertIntervalMs: o.advertIntervalMs ?? 1_000,
    primaryAddress: o.primaryAddress,
    vips: o.vips ?? [],
    auth: o.auth ?? { type: 'none' },
    nopreempt,
    preemptDelayMs,
    downTimerAdverts: o.downTimerAdverts ?? DEFAULT_DOWN_TIMER_ADVERTS,
    lowerPrioNoAdvert: o.lowerPrioNoAdvert ?? false,
    higherPrioSendAdvert: o.higherPrioSendAdvert ?? false,
    skipCheckAdvAddr: o.skipCheckAdvAddr ?? false,
    garpMasterRepeat,
    garpMasterDelayMs,
    garpLowerPrioRepeat: o.garpLowerPrioRepeat ?? garpMasterRepeat,
    garpLowerPrioDelayMs: o.garpLowerPrioDelayMs ?? garpMasterDelayMs,
    trackers: o.trackers ?? [],
  };
  const trackers = Object.fromEntries(config.trackers.map((t) => [t.id, initialStatus(t)]));
  const effective = effectivePriority(priority, config.trackers, trackers);
  return {
    config,
    state: 'INIT',
    wantState,
    basePriority: priority,
    effectivePriority: effective,
    trackers,
    isGroupFault: false,
    masterAdvertIntervalMs: config.advertIntervalMs,
    downTimerMs: downTimer(config, effective, config.advertIntervalMs),
    preempt: 'idle',
    masterAddress: null,
    masterPriority: 0,
  };
}

export function step(s: Instance, ev: VrrpEvent): Step {
  switch (s.state) {
    case 'INIT':
      return onInit(s, ev);
    case 'BACKUP':
      return onBackup(s, ev); // RFC 5798 §6.4.2
    case 'MASTER':
      return onMaster(s, ev); // RFC 5798 §6.4.3
    case 'FAULT':
      return onFault(s, ev); // keepalived's own state
    case 'STOP':
      return stay(s);
    default:
      return assertNever(s.state);
  }
}

function onInit(s: Instance, ev: VrrpEvent): Step {
  switch (ev.type) {
    case 'start':
      return start(s, ev.isHeldBySyncGroup ?? false);
    case 'track-changed':
    case 'priority-changed':
      return reprioritize(applyTracking(s, ev));
    case 'sync-fault':
      return stay({ ...s, isGroupFault: ev.isFaulty });
    case 'shutdown':
      return shutdown(s);
    case 'advert-received':
    case 'timer-fired':
    case 'sync-hold':
    case 'sync-master':
    case 'sync-backup':
      return stay(s);
    default:
      return assertNever(ev);
  }
}

function onBackup(s: Instance, ev: VrrpEvent): Step {
  switch (ev.type) {
    case 'advert-received':
      return backupReceive(s, ev.advert, ev.from);
    case 'timer-fired':
      if (ev.timer === 'master-down') return enterMaster(s, 'master-down', true);
      if (ev.timer === 'preempt-delay' && s.preempt === 'running') return stay({ ...s, preempt: 'elapsed' });
      return stay(s);
    case 'track-changed':
    case 'priority-changed':
      return retrack(s, applyTracking(s, ev));
    case 'sync-hold': {
      // keepalived: vrrp_sync_can_goto_master(): wait a full down interval for the others.
      const ms = fullDownTimer(s);
      return stay({ ...s, wantState: 'MASTER', downTimerMs: ms }, [{ type: 'arm', timer: 'master-down', ms }]);
    }
    case 'sync-master':
      return enterMaster(s, 'sync-group');
    case 'sync-backup':
      return stay({ ...s, wantState: 'BACKUP' });
    case 'sync-fault':
      return groupFault(s, ev.isFaulty);
    case 'shutdown':
      return shutdown(s);
    case 'start':
      return stay(s);
    default:
      return assertNever(ev);
  }
}

function onMaster(s: Instance, ev: VrrpEvent): Step {
  switch (ev.type) {
    case 'advert-received':
      return masterReceive(s, ev.advert, ev.from);
    case 'timer-fired':
      return masterTimer(s, ev.timer);
    case 'track-changed':
    case 'priority-changed':
      return retrack(s, applyTracking(s, ev));
    case 'sync-backup':
      return leaveMaster({ ...s, wantState: 'BACKUP' }, 'BACKUP', 'sync-group', 0);
    case 'sync-fault':
      return groupFault(s, ev.isFaulty);
    case 'shutdown':
      return shutdown(s);
    case 'start':
    case 'sync-hold':
    case 'sync-master':
      return stay(s);
    default:
      return assertNever(ev);
  }
}

function onFault(s: Instance, ev: VrrpEvent): Step {
  switch (ev.type) {
    case 'track-changed':
    case 'priority-changed':
      return retrack(s, applyTracking(s, ev));
    case 'sync-fault':
      return groupFault(s, ev.isFaulty);
    case 'sync-backup':
      // keepalived: vrrp_sync_backup() → vrrp_state_leave_fault(); we refuse while still failing.
      return isBlocked(s) ? stay(s) : tryUp({ ...s, wantState: 'BACKUP' }, [], 'sync-group');
    case 'shutdown':
      return shutdown(s);
    case 'advert-received': // keepalived: vrrp_dispatcher_read() ignores packets in FAULT
    case 'timer-fired':
    case 'start':
    case 'sync-hold':
    case 'sync-master':
      return stay(s);
    default:
      return assertNever(ev);
  }
}

function masterTimer(s: Instance, timer: TimerName): Step {
  switch (timer) {
    case 'advert':
      return stay(s, [
        { type: 'send-advert', priority: s.effectivePriority },
        { type: 'arm', timer: 'advert', ms: s.config.advertIntervalMs },
      ]);
    case 'garp-master-delay':
      return stay(s, [{ type: 'gratuitous-arp', repeat: s.config.garpMasterRepeat }]);
    case 'garp-lower-prio-delay':
      return stay(s, [{ type: 'gratuitous-arp', repeat: s.config.garpLowerPrioRepeat }]);
    case 'master-down':
    case 'preempt-delay':
      return stay(s);
    default:
      return assertNever(timer);
  }
}

