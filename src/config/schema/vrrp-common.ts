/**
 * Shared bits of the VRRP pass: interface lookups with keepalived's
 * "non-existent interface" latch, the global settings the VRRP pass reads,
 * and per-pass scratch state that is not part of the typed model.
 */
import type { BuildState } from '../model.js';

/** Global settings the VRRP pass reads (parsed in the parent pass by schema/global-defs.ts). */
export interface GlobalVrrpView {
  readonly vrrpVersion: 2 | 3;
  readonly vrrpStrict: boolean;
  readonly vrrpMcastGroup4: string;
  readonly vrrpMcastGroup6: string;
  readonly vrrpGarpMasterDelayS: number;
  readonly vrrpGarpMasterRepeat: number;
  readonly vrrpGarpMasterRefreshS: number;
  readonly vrrpGarpMasterRefreshRepeat: number;
  readonly vrrpGarpLowerPrioDelayS: number | undefined;
  readonly vrrpGarpLowerPrioRepeat: number | undefined;
  readonly vrrpLowerPrioNoAdvert: boolean;
  readonly vrrpHigherPrioSendAdvert: boolean;
  readonly vrrpDownTimerAdverts: number;
  readonly vrrpSkipCheckAdvAddr: boolean;
  readonly vrrpCheckUnicastSrc: boolean;
  readonly vrrpGarpExtraIfS: number;
  readonly vrrpGarpExtraIfAll: boolean;
  readonly vrrpNotifyPriorityChanges: boolean;
  readonly smtpAlert: boolean | undefined;
  readonly smtpAlertVrrp: boolean | undefined;
  readonly dynamicInterfaces: boolean;
  readonly linkbeatUsePolling: boolean;
  readonly lvsSyncDaemon: { ifname?: string } | undefined;
}

const DEFAULTS: GlobalVrrpView = {
  vrrpVersion: 2,
  vrrpStrict: false,
  vrrpMcastGroup4: '224.0.0.18',
  vrrpMcastGroup6: 'ff02::12',
  vrrpGarpMasterDelayS: 5,
  vrrpGarpMasterRepeat: 5,
  vrrpGarpMasterRefreshS: 0,
  vrrpGarpMasterRefreshRepeat: 1,
  vrrpGarpLowerPrioDelayS: undefined,
  vrrpGarpLowerPrioRepeat: undefined,
  vrrpLowerPrioNoAdvert: false,
  vrrpHigherPrioSendAdvert: false,
  vrrpDownTimerAdverts: 3,
  vrrpSkipCheckAdvAddr: false,
  vrrpCheckUnicastSrc: false,
  vrrpGarpExtraIfS: 0,
  vrrpGarpExtraIfAll: false,
  vrrpNotifyPriorityChanges: false,
  smtpAlert: undefined,
  smtpAlertVrrp: undefined,
  dynamicInterfaces: false,
  linkbeatUsePolling: false,
  lvsSyncDaemon: undefined,
};

/** Reads global_defs defensively: a field the global section does not (yet) have keeps keepalived's default. */
export function globalView(state: BuildState): GlobalVrrpView {
  const g = state.config.global as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS)) {
    const v = g[k];
    if (v !== undefined && (typeof v === typeof (DEFAULTS as unknown as Record<string, unknown>)[k] || (DEFAULTS as unknown as Record<string, unknown>)[k] === undefined))
      out[k] = v;
  }
  return out as unknown as GlobalVrrpView;
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
