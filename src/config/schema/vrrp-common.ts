/**
 * Shared bits of the VRRP pass: interface lookups with keepalived's
 * "non-existent interface" latch, the global settings the VRRP pass reads,
 * and per-pass scratch state that is not part of the typed model.
 */
import type { BuildState } from '../model.js';
import type { GlobalSection } from './global-defs.js';

/** Global settings the VRRP pass reads (parsed in the parent pass by schema/global-defs.ts). */
export type GlobalVrrpView = Pick<
  GlobalSection,
  | 'vrrpVersion'
  | 'vrrpStrict'
  | 'vrrpMcastGroup4'
  | 'vrrpMcastGroup6'
  | 'vrrpGarpMasterDelayS'
  | 'vrrpGarpMasterRepeat'
  | 'vrrpGarpMasterRefreshS'
  | 'vrrpGarpMasterRefreshRepeat'
  | 'vrrpGarpLowerPrioDelayS'
  | 'vrrpGarpLowerPrioRepeat'
  | 'vrrpLowerPrioNoAdvert'
  | 'vrrpHigherPrioSendAdvert'
  | 'vrrpDownTimerAdverts'
  | 'vrrpSkipCheckAdvAddr'
  | 'vrrpCheckUnicastSrc'
  | 'vrrpGarpExtraIfS'
  | 'vrrpGarpExtraIfAll'
  | 'vrrpNotifyPriorityChanges'
  | 'smtpAlert'
  | 'smtpAlertVrrp'
  | 'dynamicInterfaces'
  | 'linkbeatUsePolling'
  | 'lvsSyncDaemon'
>;

export function globalView(state: BuildState): GlobalVrrpView {
  return state.config.global;
}

/** Scratch state of one VRRP pass (keepalived's file-level statics). */
export interface VrrpPassScratch {
  /** keepalived: non_existent_interface_specified */
  nonExistentInterface: boolean;
  /** keepalived: next_rule_priority_ipv4/6 — rules without a preference count down from here. */
  nextRulePref: { inet: number; inet6: number };
  /** The first instance-level lvs_sync_daemon_interface (keepalived stores it in global_data). */
  lvsSyncIf?: string;
  /** validateVrrp() reached keepalived's check_vrrp_script_security() (an instance exists, no missing interface). */
  scriptSecurityChecked: boolean;
}

const scratch = new WeakMap<object, VrrpPassScratch>();

export function passScratch(state: BuildState): VrrpPassScratch {
  let s = scratch.get(state.config.vrrp);
  if (!s) {
    s = { nonExistentInterface: false, nextRulePref: { inet: 16384, inet6: 16384 }, scriptSecurityChecked: false };
    scratch.set(state.config.vrrp, s);
  }
  return s;
}

/**
 * keepalived: if_get_by_ifname(name, IF_CREATE_IF_DYNAMIC): true if the
 * interface exists (or is created because of dynamic_interfaces); a miss
 * latches "Non-existent interface specified", which stops the VRRP pass
 * before validation.
 */
export function ifGet(state: BuildState, name: string): boolean {
  if (state.host.interfaceExists(name)) return true;
  if (globalView(state).dynamicInterfaces) return true;
  passScratch(state).nonExistentInterface = true;
  return false;
}

/** keepalived: if_get_by_ifname(name, dynamic_interfaces) — no latch. */
export function ifGetNoLatch(state: BuildState, name: string): boolean {
  return state.host.interfaceExists(name) || globalView(state).dynamicInterfaces;
}

/**
 * keepalived -t only checks VRRP scripts (missing files, SECURITY VIOLATION) when
 * vrrp_complete_init() runs with at least one instance: a non-existent interface
 * stops the VRRP pass before it. For script.ts's checkScriptSecurity().
 */
export function vrrpScriptSecurityApplies(state: BuildState): boolean {
  return passScratch(state).scriptSecurityChecked;
}
