/**
 * Post-parse rules of the VRRP pass, in keepalived 2.2.7's order under `-t`
 * (keepalived: vrrp_daemon.c start_vrrp(), vrrp.c vrrp_complete_init(),
 * chk_min_cfg(), vrrp_complete_instance(), check_vrid_conflicts(),
 * vrrp_sync.c vrrp_sync_set_group()). keepalived stops at the first instance
 * it rejects; so do we.
 */
import type { ReportOptions } from '../engine.js';
import type { BuildState } from '../model.js';
import { isIpv6LinkLocal } from './address.js';
import { globalView, passScratch } from './vrrp-common.js';
import type { VrrpInstance } from './vrrp-instance.js';
import { draftOf } from './vrrp-instance.js';

const DEFAULT_MTU = 1500;

export function validateVrrp(state: BuildState): void {
  const err = (message: string, opts?: ReportOptions): void =>
    state.reporter.report('GENERAL_ERROR', 'KA_CFG_VRRP', message, { loc: null, ...opts });
  const v = state.config.vrrp;
  // keepalived: start_vrrp() stops before vrrp_complete_init() after a missing interface.
  if (passScratch(state).nonExistentInterface) {
    state.reporter.report('BAD_IF', 'KA_CFG_BAD_IF', 'Non-existent interface specified in configuration', { loc: null, host: true });
    return;
  }
  // keepalived: check_vrrp_script_security() — only when there is an instance.
  if (v.instances.length) passScratch(state).scriptSecurityChecked = true;
  if (v.instances.length)
    for (const s of v.scripts)
      if (!state.host.file(s.script.argv[0] ?? '')) err(`Disabling track script ${s.name} since not found/accessible`, { host: true });
  for (const i of v.instances) {
    if (i.vrid === 0) return err(`(${i.name}) the virtual router id must be set`);
    // keepalived 2.2.7: chk_min_cfg() runs before VRRP_FLAG_UNICAST is set, so any instance without an interface fails.
    if (i.interface === undefined) return err(`(${i.name}) Unknown interface!`);
  }
  for (const g of [...v.syncGroups]) {
    if (!g.members) {
      err(`Sync group ${g.name} has no virtual router(s). removing`);
      v.syncGroups.splice(v.syncGroups.indexOf(g), 1);
      continue;
    }
    let state0: 'MASTER' | 'BACKUP' | undefined;
    const members: string[] = [];
    for (const m of g.members) {
      const inst = v.instances.find((x) => x.name === m);
      if (!inst) {
        err(`Virtual router ${m} specified in sync group ${g.name} doesn't exist - ignoring`);
        continue;
      }
      if (inst.syncGroup !== undefined) {
        err(`Virtual router ${m} cannot exist in more than one sync group; ignoring ${g.name}`);
        continue;
      }
      inst.syncGroup = g.name;
      members.push(m);
      const d = draftOf(inst);
      if (state0 === 'MASTER' && d.wantState === 'BACKUP')
        err(`Sync group ${g.name} has some member(s) as address owner and some not as address owner. This won't work.`);
      if (state0 !== 'BACKUP') state0 = d.wantState === 'MASTER' && d.basePriority === 255 ? 'MASTER' : 'BACKUP';
    }
    g.members = members;
    if (members.length === 0) {
      err(`Sync group ${g.name}, no matching virtual router found in group declaration - removing`);
      v.syncGroups.splice(v.syncGroups.indexOf(g), 1);
      continue;
    }
    if (members.length === 1) err(`Sync group ${g.name} has only 1 virtual router(s) - this probably isn't what you want`);
  }
  for (const i of v.instances) if (!completeInstance(state, i, err)) return;
  checkVridConflicts(state, err);
}

/** keepalived: vrrp_complete_instance(); false when keepalived gives up on the whole config. */
function completeInstance(state: BuildState, v: VrrpInstance, err: (m: string) => void): boolean {
  const g = globalView(state);
  const d = draftOf(v);
  const n = v.name;
  v.strictMode = d.strict ?? g.vrrpStrict;
  const strict = v.strictMode;
  let version = d.version;
  if (d.family === 'inet6') {
    if (version === 2 && strict) {
      err(`(${n}) cannot use IPv6 with VRRP version 2; setting version 3`);
      version = 3;
    } else if (!version) version = 3;
  }
  v.family = d.family ?? 'inet';
  v.version = version || (v.family === 'inet6' ? 3 : g.vrrpVersion);
  if (v.family === 'inet') v.unicastTtl = d.ttl ?? 255;
  else if (d.ttl !== undefined) v.unicastTtl = d.ttl;
  if (v.vips.length === 0) {
    if (v.version === 3 || strict) {
      err(`(${n}) No VIP specified; at least one is required`);
      return false;
    }
    err(`(${n}) No VIP specified; at least one is sensible`);
  }
  v.priority = d.basePriority || (d.wantState === 'MASTER' ? 255 : 100);
  let want = d.wantState;
  if (want === 'INIT') want = v.priority === 255 ? 'MASTER' : 'BACKUP';
  else if (strict && (want === 'MASTER') !== (v.priority === 255)) {
    err(`(${n}) State MASTER must match being address owner`);
    want = v.priority === 255 ? 'MASTER' : 'BACKUP';
  }
  let auth = d.authType;
  if (auth !== undefined) {
    if (strict) err(`(${n}) Strict mode does not support authentication. Ignoring.`);
    else if (v.version === 3) err(`(${n}) VRRP version 3 does not support authentication. Ignoring.`);
    else if (d.authPass === '') err(`(${n}) Authentication specified but no password given. Ignoring`);
    else if (v.family === 'inet6' && auth === 'AH') err(`(${n}) Cannot use AH authentication with IPv6. ignoring`);
    if (strict || v.version === 3 || d.authPass === '' || (v.family === 'inet6' && auth === 'AH')) auth = undefined;
    else if (auth === 'AH' && want === 'MASTER' && v.priority !== 255) {
      err(`(${n}) Initial state master is incompatible with AH authentication - clearing`);
      want = 'BACKUP';
    }
  }
  if (auth !== undefined) v.auth = { type: auth, password: d.authPass };
  if (d.unicastConfigured) {
    if (v.unicastPeers.length) v.unicast = true;
    else if (v.unicastFaultNoPeer) state.reporter.report('OK', 'KA_CFG_LOG', `(${n}) Cannot use unicast without any peers - going to fault state`, { loc: null });
    else
      state.reporter.report(
        'DEPRECATED',
        'KA_CFG_DEPRECATED',
        `(${n}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.`,
        { loc: null },
      );
  }
  if (strict && v.unicast && v.interface !== undefined) {
    err(`(${n}) Unicast peers are not supported in strict mode`);
    return false;
  }
  if (strict && d.vmacMacSpecified && v.useVmac) {
    err(`(${n}): cannot specify MAC address with strict mode - clearing`);
    delete v.useVmac.mac;
  }
  const first = v.vips[0];
  if (v.family === 'inet6' && !v.unicast && first && !isIpv6LinkLocal(first.address)) {
    if (strict) err(`(${n}) the first IPv6 VIP address must be link local`);
    else state.reporter.report('OK', 'KA_CFG_LOG', `(${n}) the first IPv6 VIP address should be link local`, { loc: null });
  }
  if (v.vrf !== undefined && (v.interface !== undefined || !v.unicast)) {
    err(`(${n}) vrf can only be specified with${v.interface !== undefined ? 'out interface' : ' unicast'} - clearing`);
    delete v.vrf;
  }
  const hdr = v.family === 'inet' ? 14 + 20 + 8 + (v.version === 2 ? 8 + (auth === 'AH' ? 24 : 0) : 0) : 14 + 40 + 8;
  const maxAddr = Math.min(255, Math.floor((DEFAULT_MTU - hdr) / (v.family === 'inet' ? 4 : 16)));
  if (v.vips.length > maxAddr) {
    err(`(${n}) Number of VIPs (${v.vips.length}) exceeds maximum/space available in packet (max ${maxAddr} addresses) - excess moved to eVIPs`);
    v.evips.push(...v.vips.splice(maxAddr));
  }
  if (v.priority === 255 && !v.preempt) {
    err(`(${n}) nopreempt is incompatible with priority 255. resetting nopreempt`);
    v.preempt = true;
  }
  let preemptDelayUs = d.preemptDelayUs;
  if (want === 'MASTER') {
    if (!v.preempt) {
      err(`(${n}) Warning - nopreempt will not work with initial state MASTER - clearing`);
      v.preempt = true;
    }
    if (preemptDelayUs) {
      err(`(${n}) Warning - preempt delay will not work with initial state MASTER - clearing`);
      preemptDelayUs = 0;
    }
  }
  if (preemptDelayUs) {
    if (strict) {
      err(`(${n}) preempt_delay is incompatible with strict mode - resetting`);
      preemptDelayUs = 0;
    }
    if (!v.preempt) {
      err(`(${n}) preempt_delay is incompatible with nopreempt mode - resetting`);
      preemptDelayUs = 0;
    }
  }
  v.preemptDelayMs = preemptDelayUs / 1000;
  if (v.downTimerAdverts !== 3 && strict) {
    err(`(${n}) down_timer_adverts is incompatible with strict mode - resetting`);
    v.downTimerAdverts = 3;
  }
  v.state = want;
  v.accept = d.accept ?? (v.priority === 255 ? true : !strict);
  if (v.accept && v.priority !== 255 && strict && v.version === 2) {
    err(`(${n}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting`);
    v.accept = false;
  }
  if (!v.unicast && v.mcastDstIp === undefined) v.mcastDstIp = v.family === 'inet' ? g.vrrpMcastGroup4 : g.vrrpMcastGroup6;
  else if (v.unicast && v.mcastDstIp !== undefined) {
    err(`(${n}) multicast destination specified with unicast - ignoring`);
    delete v.mcastDstIp;
  }
  const gLowRep = g.vrrpGarpLowerPrioRepeat ?? g.vrrpGarpMasterRepeat;
  const gLowDelay = (g.vrrpGarpLowerPrioDelayS ?? g.vrrpGarpMasterDelayS) * 1000;
  v.garpLowerPrioRepeat = strictDefault(d.garpLowerPrioRepeat, strict, 0, gLowRep, (x) => x !== 0, () => err(`(${n}) Strict mode requires no repeat garps. resetting`));
  v.garpLowerPrioDelayMs = strictDefault(d.garpLowerPrioDelayMs, strict, 0, gLowDelay, (x) => x !== 0, () => err(`(${n}) Strict mode requires no repeat garp delay. resetting`));
  v.lowerPrioNoAdvert = strictDefault(d.lowerPrioNoAdvert, strict, true, g.vrrpLowerPrioNoAdvert, (x) => !x, () => err(`(${n}) Strict mode requires no lower priority advert. resetting`));
  v.higherPrioSendAdvert = strictDefault(d.higherPrioSendAdvert, strict, false, g.vrrpHigherPrioSendAdvert, (x) => x, () => err(`(${n}) strict mode requires higher_prio_send_advert to be clear. resetting`));
  v.smtpAlert = d.smtpAlert ?? g.smtpAlertVrrp ?? g.smtpAlert ?? false;
  const sg = state.config.vrrp.syncGroups.find((s) => s.name === v.syncGroup);
  v.notifyPriorityChanges = d.notifyPriorityChanges ?? sg?.notifyPriorityChanges ?? g.vrrpNotifyPriorityChanges;
  v.advertIntervalMs = advertInterval(v, d.advertUs || 1_000_000, err) / 1000;
  if (!d.saddrFromConfig) v.trackSrcIp = false;
  if (v.vmacXmitBase && !v.useVmac) {
    err(`(${n}) vmac_xmit_base is only valid with a vmac`);
    v.vmacXmitBase = false;
  }
  for (const t of [...v.trackInterfaces])
    if (t.name === v.interface) {
      err(`(${n}) Ignoring track_interface ${t.name} since own interface`);
      v.trackInterfaces.splice(v.trackInterfaces.indexOf(t), 1);
    }
  v.garpExtraIf = d.garpExtraIf ?? { intervalS: g.vrrpGarpExtraIfS, all: g.vrrpGarpExtraIfAll };
  if (v.vips.length === 0) {
    if (v.version === 3 || v.family === 'inet6' || strict) {
      err(`(${n}) No VIP specified; at least one is required`);
      return false;
    }
    state.reporter.report('WARNING', 'KA_CFG_NO_VIP', `(${n}) No VIP specified; at least one is sensible`, { loc: null });
  }
  dropWeights(v, sg ? !sg.syncGroupTrackingWeight : false, err);
  return true;
}

function strictDefault<T>(val: T | undefined, strict: boolean, strictVal: T, dflt: T, bad: (x: T) => boolean, warn: () => void): T {
  if (val === undefined) return strict ? strictVal : dflt;
  if (strict && bad(val)) {
    warn();
    return strictVal;
  }
  return val;
}

function advertInterval(v: VrrpInstance, us: number, err: (m: string) => void): number {
  const n = v.name;
  if (v.version === 2) {
    if (us >= 256_000_000) {
      err(`(${n}) VRRPv2 advertisement interval ${(us / 1e6).toFixed(2)}s is out of range. Must be less than 256s. Setting to 255s`);
      return 255_000_000;
    }
    if (us % 1_000_000) {
      err(`(${n}) VRRPv2 advertisement interval ${(us / 1e6).toFixed(6)}s must be an integer. rounding`);
      const r = us + 500_000 - ((us + 500_000) % 1_000_000);
      return r || 1_000_000;
    }
    return us;
  }
  if (us >= 40_960_000) {
    err(`(${n}) VRRPv3 advertisement interval ${(us / 1e6).toFixed(2)}s is out of range. Must be less than 40.96s. Setting to 40.95s`);
    return 40_950_000;
  }
  if (us % 10_000) {
    err(`(${n}) VRRPv3 advertisement interval ${(us / 1e6).toFixed(6)}s must be in units of 10ms - rounding`);
    const r = us + 5_000 - ((us + 5_000) % 10_000);
    return r || 10_000;
  }
  return us;
}

/** keepalived: vrrp_complete_instance() — address owners and sync-group members lose weighted tracking. */
function dropWeights(v: VrrpInstance, syncNoWeight: boolean, err: (m: string) => void): void {
  const n = v.name;
  if (syncNoWeight || v.priority === 255) {
    const why = syncNoWeight ? 'SYNC group' : 'address owner';
    const why2 = syncNoWeight ? 'SYNC group' : 'address_owner';
    v.trackInterfaces = v.trackInterfaces.filter((t) => {
      if (!t.weight) return true;
      err(`(${n}) ignoring ${t.name} tracked interface ${syncNoWeight ? 'weight ' : ''}due to ${why}`);
      if (syncNoWeight) t.weight = 0;
      return syncNoWeight;
    });
    v.trackScripts = v.trackScripts.filter((t) => {
      if (!t.weight) return true;
      err(`(${n}) ignoring tracked script ${t.name} with weights due to ${why2}`);
      return false;
    });
    v.trackFiles = v.trackFiles.filter((t) => {
      if (t.weight === 1) {
        err(`(${n}) ignoring weight from tracked file ${t.name} due to ${why2}. specify weight 0`);
        t.weight = 0;
      } else if (t.weight) {
        err(`(${n}) ignoring tracked file ${t.name} with weight ${t.weight} due to ${why2}`);
        return false;
      }
      return true;
    });
    v.trackBfds = v.trackBfds.filter((t) => {
      if (!t.weight) return true;
      err(`(${n}) ignoring tracked bfd ${t.name} with weight ${t.weight} due to ${why2}`);
      return false;
    });
  }
}

/** keepalived: check_vrid_conflicts() for multicast instances (unicast needs interface addresses). */
function checkVridConflicts(state: BuildState, err: (m: string) => void): void {
  const list = state.config.vrrp.instances;
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) {
      const x = list[a];
      const y = list[b];
      if (!x || !y || x.family !== y.family || x.vrid !== y.vrid || x.unicast !== y.unicast) continue;
      if (x.unicast) {
        if (x.srcIp === undefined || y.srcIp === undefined || x.srcIp !== y.srcIp) continue;
        if (x.interface && y.interface && x.interface !== y.interface) continue;
        if (!x.unicastPeers.some((p) => y.unicastPeers.some((q) => q.address === p.address))) continue;
        err(`(${x.name}) duplicate VRID conflict with ${y.name} VRID ${x.vrid}`);
        continue;
      }
      if (x.interface !== y.interface || x.mcastDstIp !== y.mcastDstIp) continue;
      err(`${x.name} and ${y.name} both use VRID ${x.vrid} with IPv${x.family === 'inet' ? 4 : 6} on interface ${x.interface ?? ''}`);
    }
  }
}
