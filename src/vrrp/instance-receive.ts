/**
 * What an instance does with a received advertisement, in BACKUP (RFC 5798
 * §6.4.2; keepalived: vrrp_state_backup()) and in MASTER (RFC 5798 §6.4.3;
 * keepalived: vrrp_state_master_rx()). Pure.
 */
import type { Advert } from './advert.js';
import { compareAddresses, isSameAddress } from './compare-addresses.js';
import type { Action, DiscardReason, Instance, Step } from './instance.js';
import { downTimer, effectivePriorityOf, leaveMaster, stay } from './instance-transitions.js';
import { skewMs } from './timing.js';
import { OWNER_PRIORITY } from './tracker.js';

/** RFC 3768 §5.3.6: the password field is 8 octets, zero padded. */
function password8(p: string): string {
  return p.slice(0, 8);
}

/**
 * The per-instance checks of keepalived: vrrp_check_packet(), in its order,
 * after the codec has done length, type and checksum.
 */
export function checkAdvert(s: Instance, advert: Advert, isCheckingAddresses: boolean): DiscardReason | null {
  const c = s.config;
  if (advert.vrid !== c.vrid) return 'wrong-vrid';
  if (advert.version !== c.version) return 'wrong-version';
  if (c.version === 2) {
    if (advert.auth.type !== c.auth.type) return 'auth-type-mismatch';
    if (advert.auth.type === 'pass' && c.auth.type === 'pass' && password8(advert.auth.password) !== password8(c.auth.password)) {
      return 'auth-failure';
    }
    // RFC 3768 §7.1: a v2 advert with another interval is dropped. (v3 has no such check.)
    if (advert.advertIntervalMs !== c.advertIntervalMs) return 'interval-mismatch';
  }
  if (!isCheckingAddresses) return null;
  // RFC 5798 §7.1 "MAY verify that the IPvX Address(es) ... are valid"; keepalived always does, in any order.
  if (advert.addresses.length !== c.vips.length) return 'addr-count-mismatch';
  if (!c.vips.every((vip) => advert.addresses.some((a) => isSameAddress(a, vip)))) return 'addr-missing';
  return null;
}

function discard(reason: DiscardReason, advert: Advert, from: string): Action {
  return { type: 'discard-advert', reason, from, priority: advert.priority };
}

/** keepalived: vrrp_state_backup(). */
export function backupReceive(s: Instance, advert: Advert, from: string): Step {
  // keepalived: skip_check_adv_addr skips the address checks for the master we already know.
  const isKnownMaster = s.config.skipCheckAdvAddr && s.masterAddress !== null && isSameAddress(from, s.masterAddress);
  const bad = checkAdvert(s, advert, !isKnownMaster);
  // An invalid advert leaves the master-down timer running, neither reset nor shortened.
  if (bad !== null) return stay(s, [discard(bad, advert, from)]);
  const mine = s.effectivePriority;
  if (advert.priority === 0) {
    // RFC 5798 §6.4.2: priority 0 → Master_Down_Timer := Skew_Time.
    const ms = skewMs(mine, s.masterAdvertIntervalMs, s.config.version);
    return stay({ ...s, downTimerMs: ms }, [{ type: 'arm', timer: 'master-down', ms }]);
  }
  const isDelaying = s.config.preemptDelayMs > 0 && s.preempt !== 'elapsed';
  if (s.config.nopreempt || advert.priority >= mine || isDelaying) return followMaster(s, advert, from);
  // RFC 5798 §6.4.2: preempting: a lower-priority advert is discarded and the timer keeps running.
  return stay({ ...s, masterAddress: from }, [discard('lower-priority', advert, from)]);
}

/** Accept the sender as master: restart the down timer, learn a v3 interval, run preempt_delay. */
function followMaster(s: Instance, advert: Advert, from: string): Step {
  const c = s.config;
  // RFC 5798 §6.4.2: Master_Adver_Interval := the advert's interval (v3 only).
  const interval = c.version === 3 ? advert.advertIntervalMs : s.masterAdvertIntervalMs;
  const ms = downTimer(c, s.effectivePriority, interval);
  const actions: Action[] = [{ type: 'arm', timer: 'master-down', ms }];
  let preempt = s.preempt;
  if (c.preemptDelayMs > 0) {
    // keepalived: vrrp_state_backup(): the first lower-priority advert starts preempt_delay;
    // a higher- or equal-priority one stops it.
    if (advert.priority >= s.effectivePriority) {
      if (preempt === 'running') actions.push({ type: 'cancel', timer: 'preempt-delay' });
      preempt = 'idle';
    } else if (preempt === 'idle') {
      actions.push({ type: 'arm', timer: 'preempt-delay', ms: c.preemptDelayMs });
      preempt = 'running';
    }
  }
  const next: Instance = {
    ...s,
    wantState: 'BACKUP',
    masterAdvertIntervalMs: interval,
    downTimerMs: ms,
    masterAddress: from,
    masterPriority: advert.priority,
    preempt,
  };
  return stay(next, actions);
}

/** keepalived: vrrp_state_master_rx(). */
export function masterReceive(s: Instance, advert: Advert, from: string): Step {
  // keepalived: vrrp_dispatcher_read(): every packet for the VRID, valid or not, re-arms
  // the advert timer, unless lower_prio_no_advert.
  const rearm: Action[] = s.config.lowerPrioNoAdvert ? [] : [{ type: 'arm', timer: 'advert', ms: s.config.advertIntervalMs }];
  const bad = checkAdvert(s, advert, true);
  if (bad !== null) return stay(s, [discard(bad, advert, from), ...rearm]);
  const prio = advert.priority;
  const cmp = compareAddresses(from, s.config.primaryAddress);
  const actions: Action[] = [];
  const isHigher = prio > s.effectivePriority || (prio === s.effectivePriority && cmp > 0);
  // RFC 5798 §6.4.3: priority 0 → send an advert now. keepalived: higher_prio_send_advert also answers a winner.
  if (prio === 0 || (s.config.higherPrioSendAdvert && isHigher)) {
    actions.push({ type: 'send-advert', priority: s.effectivePriority });
  }
  if (prio === 0) return stay(s, [...actions, ...rearm]);
  let next = s;
  if (prio === s.effectivePriority) {
    if (cmp === 0) return stay(s, [discard('own-address', advert, from), ...rearm]);
    if (s.effectivePriority === OWNER_PRIORITY) {
      // keepalived: vrrp_state_master_rx(): two address owners: "reducing local priority" to 254.
      next = { ...s, basePriority: OWNER_PRIORITY - 1 };
      next = { ...next, effectivePriority: effectivePriorityOf(next) };
      actions.push({ type: 'owner-conflict', from });
    }
  }
  const mine = next.effectivePriority;
  if (prio < mine || (prio === mine && cmp < 0)) return answerLower(next, advert, from, rearm);
  // RFC 5798 §6.4.3: higher priority, or equal priority from a higher address → BACKUP.
  const interval = next.config.version === 3 ? advert.advertIntervalMs : next.masterAdvertIntervalMs;
  const yielding: Instance = { ...next, masterAdvertIntervalMs: interval, masterPriority: prio };
  return leaveMaster(yielding, 'BACKUP', prio > mine ? 'higher-priority' : 'higher-address', 0, actions);
}

/**
 * keepalived: vrrp_state_master_rx(): a master hearing a lower priority
 * "forces a new election": an advert now (unless lower_prio_no_advert), GARPs
 * now and again after garp_lower_prio_delay, and notify_master_rx_lower_pri.
 * The RFC just discards it.
 */
function answerLower(s: Instance, advert: Advert, from: string, rearm: readonly Action[]): Step {
  const c = s.config;
  const actions: Action[] = [];
  if (!c.lowerPrioNoAdvert) actions.push({ type: 'send-advert', priority: s.effectivePriority });
  if (c.garpLowerPrioRepeat > 0) {
    actions.push({ type: 'gratuitous-arp', repeat: c.garpLowerPrioRepeat });
    if (c.garpLowerPrioDelayMs > 0) actions.push({ type: 'arm', timer: 'garp-lower-prio-delay', ms: c.garpLowerPrioDelayMs });
  }
  actions.push({ type: 'notify-master-rx-lower-pri', from, priority: advert.priority }, ...rearm);
  return stay(s, actions);
}
