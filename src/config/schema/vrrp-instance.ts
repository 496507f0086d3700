/**
 * `vrrp_instance NAME { … }` (keepalived: vrrp_parser.c vrrp_handler() and the
 * instance keyword handlers, vrrp_data.c alloc_vrrp()/alloc_vrrp_vip()/
 * alloc_vrrp_unicast_peer()). Values left unset here are completed by
 * vrrp-validate.ts (keepalived: vrrp_complete_instance()).
 */
import type { BlockSpec, HandlerCtx, KeywordSpec } from '../engine.js';
import { INT_MAX, SKIP, TIMER_HZ, UINT_MAX, checkTrueFalse, readUnsigned, sub } from '../engine.js';
import type { SourceLoc } from '../diagnostics.js';
import type { BuildState } from '../model.js';
import type { ScriptSpec } from './script.js';
import { readScript } from './script.js';
import type { Family, IpAddress } from './address.js';
import { isMulticast, isIpv6LinkLocal, parseAddressLine, parseSockAddr } from './address.js';
import type { Route, Rule } from './route.js';
import { parseRouteLine, parseRuleLine } from './route.js';
import { globalView, ifGet, passScratch } from './vrrp-common.js';
import type { TrackLists } from './vrrp-track.js';
import { emptyTrackLists, trackKeywords } from './vrrp-track.js';

export interface UnicastPeer {
  address: string;
  minTtl: number;
  maxTtl: number;
}

export type NotifyName = 'master' | 'backup' | 'fault' | 'stop' | 'deleted' | 'masterRxLowerPri' | 'generic';

export interface VrrpInstance extends TrackLists {
  name: string;
  loc: SourceLoc;
  state: 'MASTER' | 'BACKUP';
  interface?: string;
  vrf?: string;
  /** 0 until set (keepalived refuses the config then). */
  vrid: number;
  priority: number;
  advertIntervalMs: number;
  version: 2 | 3;
  family: Family;
  auth?: { type: 'PASS' | 'AH'; password: string };
  vips: IpAddress[];
  evips: IpAddress[];
  routes: Route[];
  rules: Rule[];
  unicastPeers: UnicastPeer[];
  /** unicast_src_ip / mcast_src_ip. */
  srcIp?: string;
  unicast: boolean;
  unicastFaultNoPeer: boolean;
  checkUnicastSrc: boolean;
  /** IPv4 default 255; undefined = kernel default (IPv6). */
  unicastTtl?: number;
  mcastDstIp?: string;
  trackSrcIp: boolean;
  dontTrackPrimary: boolean;
  useVmac?: { name?: string; mac?: string; macUsesVrid: boolean };
  useVmacAddr: boolean;
  vmacXmitBase: boolean;
  useIpvlan?: { name?: string; address?: string; mode: 'bridge' | 'private' | 'vepa' };
  promoteSecondaries: boolean;
  accept: boolean;
  preempt: boolean;
  preemptDelayMs: number;
  skipCheckAdvAddr: boolean;
  strictMode: boolean;
  lowerPrioNoAdvert: boolean;
  higherPrioSendAdvert: boolean;
  garpMasterDelayMs: number;
  garpMasterRepeat: number;
  garpMasterRefreshMs: number;
  garpMasterRefreshRepeat: number;
  garpLowerPrioDelayMs: number;
  garpLowerPrioRepeat: number;
  garpExtraIf: { intervalS: number; all: boolean };
  downTimerAdverts: number;
  notify: Partial<Record<NotifyName, ScriptSpec>>;
  notifyDeleted: boolean;
  notifyPriorityChanges: boolean;
  smtpAlert: boolean;
  debug: number;
  kernelRxBufSize?: number;
  linkbeatUsePolling: boolean;
  oldUnicastChecksum?: 'config' | 'never';
  /** Sync group name, set by validation. */
  syncGroup?: string;
}

/** Parse-time markers keepalived keeps as "unset" sentinels. */
export interface InstanceDraft {
  wantState: 'INIT' | 'MASTER' | 'BACKUP';
  basePriority: number;
  advertUs: number;
  version: 0 | 2 | 3;
  family?: Family;
  ttl?: number;
  strict?: boolean;
  accept?: boolean;
  preemptDelayUs: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  garpLowerPrioDelayMs?: number;
  garpLowerPrioRepeat?: number;
  garpExtraIf?: { intervalS: number; all: boolean };
  smtpAlert?: boolean;
  notifyPriorityChanges?: boolean;
  saddrFromConfig: boolean;
  unicastConfigured: boolean;
  vmacMacSpecified: boolean;
  authType?: 'PASS' | 'AH';
  authPass: string;
  /** The last `interface` named one this host does not have (what follows from that is a host fact). */
  interfaceMissingOnHost?: boolean;
}

export const drafts = new WeakMap<VrrpInstance, InstanceDraft>();

export function draftOf(v: VrrpInstance): InstanceDraft {
  const d = drafts.get(v);
  if (!d) throw new Error(`no draft for ${v.name}`);
  return d;
}

type IC = HandlerCtx<VrrpInstance>;
const st = (c: IC): BuildState => c.env.shared as BuildState;
const dr = (c: IC): InstanceDraft => draftOf(c.target);

function setFamily(c: IC, f: Family): boolean {
  const d = dr(c);
  if (d.family === undefined) d.family = f;
  return d.family === f;
}

function srcIp(c: IC): void {
  const v = c.target;
  const raw = c.word(1);
  const a = parseSockAddr(raw);
  if (!a) return c.error(`Configuration error: VRRP instance[${v.name}] malformed src address[${raw}]. Skipping...`);
  dr(c).saddrFromConfig = true;
  v.srcIp = a.address;
  if (!setFamily(c, a.family)) {
    c.error(`Configuration error: VRRP instance[${v.name}] and src address[${raw}] MUST be of the same family !!! Skipping...`);
    delete v.srcIp;
    dr(c).saddrFromConfig = false;
  }
}

function optBool(c: IC, bad: string, set: (b: boolean) => void): void {
  if (!c.has(1)) return set(true);
  const b = checkTrueFalse(c.word(1));
  if (b === undefined) return c.error(bad);
  set(b);
}

function notifyKw(name: NotifyName, kw: string): KeywordSpec<VrrpInstance> {
  return {
    handler: (c) => {
      const v = c.target;
      if (name === 'deleted') {
        if (v.notifyDeleted) return c.error(`(${v.name}) notify_deleted already specified - ignoring ${c.has(1) ? c.word(1) : ''}`);
        if (c.has(1)) {
          const s = readScript(c, st(c), { kind: kw, subsystem: 'vrrp', userFromLine: true });
          if (s) v.notify.deleted = s;
        }
        v.notifyDeleted = true;
        return;
      }
      if (v.notify[name]) return c.error(`(${v.name}) ${kw} script already specified - ignoring ${c.word(1)}`);
      const s = readScript(c, st(c), { kind: kw, subsystem: 'vrrp', userFromLine: true });
      if (s) v.notify[name] = s;
    },
  };
}

function uintKw(
  max: number,
  msg: (c: IC) => string,
  set: (c: IC, v: number) => void,
  min = 0,
): KeywordSpec<VrrpInstance> {
  return {
    handler: (c) => {
      const v = c.readUnsigned(1, min, max);
      if (v === undefined) return c.error(msg(c));
      set(c, v);
    },
  };
}

const repeatKw = (kw: string, set: (v: VrrpInstance, n: number) => void): KeywordSpec<VrrpInstance> =>
  uintKw(UINT_MAX, (c) => `(${c.target.name}): ${kw} '${c.word(1)}' invalid - ignoring`, (c, n) => {
    if (n === 0) c.error(`(${c.target.name}): ${kw} must be greater than 0, setting to 1`);
    set(c.target, n || 1);
  });

/** keepalived: vrrp_vmac_handler() MAC parsing; undefined when invalid. */
function parseVmacMac(s: string): { mac: string; usesVrid: boolean } | 'invalid' {
  if (/[^0-9A-Fa-f:]/.test(s)) return 'invalid';
  const parts = s.split(':');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  if ((parts.length !== 5 && parts.length !== 6) || parts.some((p) => p.length < 1 || p.length > 2)) return 'invalid';
  return { mac: parts.map((p) => p.padStart(2, '0').toLowerCase()).join(':'), usesVrid: parts.length === 5 };
}

function devNameValid(n: string): boolean {
  return n !== '' && n.length < 16 && n !== '.' && n !== '..' && !/[/:\s]/.test(n);
}

const instanceKeywords: Record<string, KeywordSpec<VrrpInstance>> = {
  use_vmac: {
    handler: (c) => {
      const v = c.target;
      const vm = v.useVmac ?? { macUsesVrid: false };
      v.useVmac = vm;
      for (let i = 1; i < c.words.length && i <= 2; i++) {
        const p = c.word(i);
        if (p.includes(':')) {
          if (dr(c).vmacMacSpecified) {
            c.error('VMAC interface address already specified');
            continue;
          }
          if (/[^0-9A-Fa-f:]/.test(p)) {
            c.error(`VMAC invalid MAC address ${p}`);
            continue;
          }
          const m = parseVmacMac(p);
          const first = m === 'invalid' ? 0 : Number.parseInt(m.mac.slice(0, 2), 16);
          if (m === 'invalid') c.error(`VMAC invalid MAC address ${p} - ignored`);
          else if (first & 1) c.error(`VMAC MAC address is multicast ${p} - ignoring`);
          else if (/^00:00:5e:00:0[12]/.test(m.mac)) c.error(`VMAC MAC address not allowed to be RFC5798 address (${p}) - ignoring`);
          else {
            dr(c).vmacMacSpecified = true;
            vm.mac = m.mac;
            vm.macUsesVrid = m.usesVrid;
          }
        } else {
          if (vm.name !== undefined) {
            c.error('VMAC interface name already specified');
            continue;
          }
          if (!devNameValid(p)) {
            c.error(`VMAC interface name '${p}' too long or invalid characters - ignoring`);
            continue;
          }
          const other = st(c).config.vrrp.instances.find((o) => o.useVmac?.name === p || o.useIpvlan?.name === p);
          if (other) {
            c.error(`(${v.name}) VRRP instance ${other.name} is already using ${p} - ignoring name`);
            continue;
          }
          if (st(c).host.interfaceExists(p)) {
            c.error(`(${v.name}) interface ${p} already exists and is not a private macvlan; ignoring vmac if_name`, { host: true });
            continue;
          }
          vm.name = p;
        }
      }
    },
  },
  use_vmac_addr: { handler: (c) => void (c.target.useVmacAddr = true) },
  vmac_xmit_base: { handler: (c) => void (c.target.vmacXmitBase = true) },
  use_ipvlan: {
    handler: (c) => {
      const v = c.target;
      if (v.useIpvlan) return c.error(`(${v.name}) use_ipvlan already specified`);
      const iv: NonNullable<VrrpInstance['useIpvlan']> = { mode: 'bridge' };
      v.useIpvlan = iv;
      let hadType = false;
      for (let i = 1; i < c.words.length; i++) {
        const w = c.word(i);
        if (w === 'bridge' || w === 'private' || w === 'vepa') {
          if (hadType) c.error(`(${v.name}) ipvlan type already specified - ignoring '${w}'`);
          else {
            iv.mode = w;
            hadType = true;
          }
          continue;
        }
        const addr = parseSockAddr(w.split('/')[0] ?? '');
        if (addr && !w.includes('-')) {
          if (iv.address !== undefined) {
            c.error(`(${v.name}) ipvlan address already specified - ignoring '${w}'`);
            continue;
          }
          if (!setFamily(c, addr.family)) {
            c.error(`(${v.name}) ipvlan address[${w}] MUST match vrrp instance family !!! Skipping...`);
            continue;
          }
          iv.address = w;
          if (v.srcIp === undefined) {
            v.srcIp = addr.address;
            dr(c).saddrFromConfig = true;
          }
          continue;
        }
        if (iv.name !== undefined) {
          c.error(`(${v.name}) IPVLAN interface already specified - ignoring '${w}'`);
          continue;
        }
        if (w.length >= 16) {
          c.error(`(${v.name}) IPVLAN interface name '${w}' too long - ignoring`);
          continue;
        }
        const other = st(c).config.vrrp.instances.find((o) => o.useVmac?.name === w || o.useIpvlan?.name === w);
        if (other) {
          c.error(`(${v.name}) VRRP instance ${other.name} is already using ${w} - ignoring name`);
          continue;
        }
        if (st(c).host.interfaceExists(w)) {
          c.error(`(${v.name}) interface ${w} already exists and is not an l2 ipvlan; ignoring ipvlan if_name`, { host: true });
          continue;
        }
        iv.name = w;
      }
    },
  },
  unicast_peer: {
    handler: (c) => {
      dr(c).unicastConfigured = true;
      for (const s of c.valueBlock()) addPeer(c.with(c.target, s));
    },
  },
  unicast_fault_no_peer: {
    handler: (c) => {
      dr(c).unicastConfigured = true;
      c.target.unicastFaultNoPeer = true;
    },
  },
  check_unicast_src: {
    handler: (c) => {
      dr(c).unicastConfigured = true;
      c.target.checkUnicastSrc = true;
    },
  },
  old_unicast_checksum: {
    handler: (c) => {
      dr(c).unicastConfigured = true;
      if (!c.has(1)) c.target.oldUnicastChecksum = 'config';
      else if (c.word(1) === 'never') c.target.oldUnicastChecksum = 'never';
      else c.error(`(${c.target.name}) Unknown old_unicast_chksum mode ${c.word(1)} - ignoring`);
    },
  },
  native_ipv6: {
    handler: (c) => {
      if (dr(c).family === 'inet') return c.error(`(${c.target.name}) Cannot specify native_ipv6 with IPv4 addresses`);
      dr(c).family = 'inet6';
      dr(c).version = 3;
    },
  },
  state: {
    handler: (c) => {
      const s = c.word(1);
      const d = dr(c);
      if (s === 'MASTER') d.wantState = 'MASTER';
      else if (s === 'BACKUP') {
        if (d.wantState === 'MASTER') c.error(`(${c.target.name}) state previously set as MASTER - ignoring BACKUP`);
        else d.wantState = 'BACKUP';
      } else {
        c.error(`(${c.target.name}) unknown state '${s}', defaulting to BACKUP`);
        d.wantState = 'BACKUP';
      }
    },
  },
  interface: {
    handler: (c) => {
      const v = c.target;
      const name = c.word(1);
      if (name.length >= 16) return c.error(`Interface name '${name}' too long - ignoring`);
      delete v.interface;
      dr(c).interfaceMissingOnHost = !ifGet(st(c), name);
      if (!ifGet(st(c), name)) c.error(`WARNING - interface ${name} for vrrp_instance ${v.name} doesn't exist`, { host: true });
      else if (st(c).host.isLoopback(name)) c.error(`(${v.name}) cannot use a loopback interface (${name}) for vrrp - ignoring`);
      else v.interface = name;
    },
  },
  vrf: {
    handler: (c) => {
      const v = c.target;
      const name = c.word(1);
      if (name.length >= 16) return c.error(`(${v.name}) VRF interface name '${name}' too long - ignoring`);
      if (v.interface !== undefined) return c.error(`(${v.name}) Cannot specify VRF interface and interface - ignoring`);
      if (v.vrf !== undefined) return c.error(`(${v.name}) VRF interface already specified as '${v.vrf}' - ignoring`);
      if (!ifGet(st(c), name)) c.error(`(${v.name}) WARNING - VRF interface ${name} doesn't exist`, { host: true });
      else if (st(c).host.isLoopback(name)) c.error(`(${v.name}) cannot use a loopback interface (${name}) for VRF - ignoring`);
      else v.vrf = name;
    },
  },
  dont_track_primary: { handler: (c) => void (c.target.dontTrackPrimary = true) },
  ...trackKeywords<VrrpInstance>(),
  mcast_src_ip: { handler: srcIp },
  unicast_src_ip: {
    handler: (c) => {
      dr(c).unicastConfigured = true;
      srcIp(c);
    },
  },
  mcast_dst_ip: {
    handler: (c) => {
      const v = c.target;
      const raw = c.word(1);
      const a = parseSockAddr(raw);
      if (!a) return c.error(`(${v.name}) malformed mcast dest address ${raw}. Skipping...`);
      v.mcastDstIp = a.address;
      if (!setFamily(c, a.family)) {
        c.error(`(${v.name}) mcast dest address ${raw} MUST match VRRP instance family. Skipping...`);
        delete v.mcastDstIp;
        return;
      }
      if (!isMulticast(a.address, a.family)) {
        c.error(`(${v.name}) mcast_dst_ip ${raw} not${a.family === 'inet6' ? ' link-local' : ''} multicast. Skipping...`);
        delete v.mcastDstIp;
      }
    },
  },
  track_src_ip: { handler: (c) => void (c.target.trackSrcIp = true) },
  virtual_router_id: uintKw(255, (c) => `(${c.target.name}): VRID '${c.word(1)}' not valid - must be between 1 & 255`, (c, n) => void (c.target.vrid = n), 1),
  unicast_ttl: uintKw(255, (c) => `(${c.target.name}): TTL '${c.word(1)}' not valid - must be between 0 & 255`, (c, n) => void (dr(c).ttl = n)),
  version: {
    handler: (c) => {
      const v = c.readInt(1, 2, 3);
      if (v === undefined) return c.error(`(${c.target.name}): Version must be either 2 or 3`);
      const d = dr(c);
      if ((d.version && d.version !== v) || (v === 2 && d.family === 'inet6'))
        return c.error(`(${c.target.name}) vrrp_version ${v} conflicts with configured or deduced version ${d.version}; ignoring.`);
      d.version = v === 2 ? 2 : 3;
    },
  },
  priority: {
    handler: (c) => {
      const v = c.readUnsigned(1, 1, 255);
      if (v === undefined) c.error(`(${c.target.name}) Priority not valid! must be between 1 & 255. Using default 100`);
      dr(c).basePriority = v ?? 100;
    },
  },
  advert_int: {
    handler: (c) => {
      const v = c.readDecimal(1, TIMER_HZ / 100, 255 * TIMER_HZ, 6);
      if (v === undefined || v <= 0) return c.error(`(${c.target.name}) Advert interval (${c.word(1)}) not valid! Must be > 0 - ignoring`);
      dr(c).advertUs = v;
    },
  },
  virtual_ipaddress: { handler: (c) => vipBlock(c, false) },
  virtual_ipaddress_excluded: { handler: (c) => vipBlock(c, true) },
  promote_secondaries: { handler: (c) => void (c.target.promoteSecondaries = true) },
  linkbeat_use_polling: {
    handler: (c) => {
      c.target.linkbeatUsePolling = true;
      c.error(`(${c.target.name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block`);
    },
  },
  virtual_routes: {
    handler: (c) => {
      for (const s of c.valueBlock()) {
        const r = parseRouteLine(c.with<unknown>(c.target, s), st(c), false);
        if (r) c.target.routes.push(r);
      }
    },
  },
  virtual_rules: {
    handler: (c) => {
      for (const s of c.valueBlock()) {
        const r = parseRuleLine(c.with<unknown>(c.target, s), st(c), false);
        if (r) c.target.rules.push(r);
      }
    },
  },
  accept: { handler: (c) => void (dr(c).accept = true) },
  no_accept: { handler: (c) => void (dr(c).accept = false) },
  skip_check_adv_addr: {
    // keepalived: vrrp_skip_check_adv_addr_handler() sets the flag for any valid boolean, `off` included.
    handler: (c) => optBool(c, `(${c.target.name}) invalid skip_check_adv_addr ${c.has(1) ? c.word(1) : ''} specified`, () => void (c.target.skipCheckAdvAddr = true)),
  },
  strict_mode: {
    handler: (c) => optBool(c, `(${c.target.name}) invalid strict_mode ${c.has(1) ? c.word(1) : ''} specified`, (b) => void (dr(c).strict = b)),
  },
  preempt: { handler: (c) => void (c.target.preempt = true) },
  nopreempt: { handler: (c) => void (c.target.preempt = false) },
  preempt_delay: {
    handler: (c) => {
      const v = c.readDecimal(1, 0, 1000 * TIMER_HZ, 6);
      if (v === undefined) c.error(`(${c.target.name}) Preempt_delay not valid! must be between 0-1000`);
      dr(c).preemptDelayUs = v ?? 0;
    },
  },
  debug: uintKw(4, (c) => `(${c.target.name}) Debug value '${c.word(1)}' not valid; must be between 0-4`, (c, n) => void (c.target.debug = n)),
  notify_backup: notifyKw('backup', 'notify_backup'),
  notify_master: notifyKw('master', 'notify_master'),
  notify_fault: notifyKw('fault', 'notify_fault'),
  notify_stop: notifyKw('stop', 'notify_stop'),
  notify_deleted: notifyKw('deleted', 'notify_deleted'),
  notify: notifyKw('generic', 'notify'),
  notify_master_rx_lower_pri: notifyKw('masterRxLowerPri', 'notify_master_rx_lower_pri'),
  smtp_alert: {
    handler: (c) => optBool(c, `Invalid vrrp_instance smtp_alert parameter ${c.has(1) ? c.word(1) : ''}`, (b) => void (dr(c).smtpAlert = b)),
  },
  notify_priority_changes: {
    handler: (c) =>
      optBool(c, `(${c.target.name}) Invalid value '${c.has(1) ? c.word(1) : ''}' for notify_priority_changes specified`, (b) => void (dr(c).notifyPriorityChanges = b)),
  },
  lvs_sync_daemon_interface: {
    handler: (c) => {
      const v = c.target;
      c.error(`(${v.name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.`);
      // keepalived prints "%*s" with width strlen(name)-2; a negative width pads to its absolute value.
      c.error(`      ${' '.repeat(Math.abs(v.name.length - 2))}Please use global lvs_sync_daemon`);
      const sc = passScratch(st(c));
      const cur = sc.lvsSyncIf ?? globalView(st(c)).lvsSyncDaemon?.interface;
      if (cur !== undefined) return c.error(`(${v.name}) lvs_sync_daemon_interface has already been specified as ${cur} - ignoring`);
      sc.lvsSyncIf = c.word(1);
    },
  },
  garp_master_delay: uintKw(Math.floor(UINT_MAX / TIMER_HZ), (c) => `(${c.target.name}): garp_master_delay '${c.word(1)}' invalid - ignoring`, (c, n) => void (c.target.garpMasterDelayMs = n * 1000)),
  garp_master_refresh: {
    handler: (c) => {
      const v = c.readUnsigned(1, 0, UINT_MAX);
      if (v === undefined) c.error(`(${c.target.name}): Invalid garp_master_refresh '${c.word(1)}' - ignoring`);
      c.target.garpMasterRefreshMs = (v ?? 0) * 1000;
    },
  },
  garp_master_repeat: repeatKw('garp_master_repeat', (v, n) => void (v.garpMasterRepeat = n)),
  garp_master_refresh_repeat: repeatKw('garp_master_refresh_repeat', (v, n) => void (v.garpMasterRefreshRepeat = n)),
  garp_lower_prio_delay: uintKw(Math.floor(UINT_MAX / TIMER_HZ), (c) => `(${c.target.name}): garp_lower_prio_delay '${c.word(1)}' invalid - ignoring`, (c, n) => void (dr(c).garpLowerPrioDelayMs = n * 1000)),
  garp_lower_prio_repeat: uintKw(INT_MAX, (c) => `(${c.target.name}): Invalid garp_lower_prio_repeat '${c.word(1)}'`, (c, n) => void (dr(c).garpLowerPrioRepeat = n)),
  down_timer_adverts: uintKw(100, (c) => `(${c.target.name}): Invalid down_timer_adverts [1:100] '${c.word(1)}'`, (c, n) => void (c.target.downTimerAdverts = n), 1),
  garp_extra_if: { handler: (c) => garpExtraIf(c) },
  vmac_garp_intvl: { handler: (c) => garpExtraIf(c) },
  lower_prio_no_advert: {
    handler: (c) => optBool(c, `(${c.target.name}) invalid lower_prio_no_advert ${c.has(1) ? c.word(1) : ''} specified`, (b) => void (dr(c).lowerPrioNoAdvert = b)),
  },
  higher_prio_send_advert: {
    handler: (c) =>
      optBool(c, `(${c.target.name}) invalid higher_prio_send_advert ${c.has(1) ? c.word(1) : ''} specified`, (b) => void (dr(c).higherPrioSendAdvert = b)),
  },
  kernel_rx_buf_size: {
    handler: (c) => {
      if (c.words.length === 2) {
        const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
        if (v !== undefined) {
          c.target.kernelRxBufSize = v;
          return;
        }
      }
      c.error(`(${c.target.name}) invalid kernel_rx_buf_size specified`);
    },
  },
  authentication: {
    sub: sub<VrrpInstance, VrrpInstance>((c) => c.target, {
      name: 'authentication',
      keywords: {
        auth_type: {
          handler: (c) => {
            const t = c.word(1);
            if (t === 'AH' || t === 'PASS') dr(c).authType = t;
            else c.error(`(${c.target.name}) unknown authentication type '${t}'`);
          },
        },
        auth_pass: {
          handler: (c) => {
            let p = c.word(1);
            if (new TextEncoder().encode(p).length > 8) {
              c.error('Truncating auth_pass to 8 characters');
              p = p.slice(0, 8);
            }
            dr(c).authPass = p;
          },
        },
      },
    }),
  },
};

function garpExtraIf(c: IC): void {
  const v = c.target;
  const kw = c.keyword;
  if (kw === 'vmac_garp_intvl')
    c.report('DEPRECATED', 'KA_CFG_DEPRECATED', 'Keyword "vmac_garp_intvl" is deprecated - please use "garp_extra_if"');
  let delay: number | undefined;
  let all = false;
  for (let i = 1; i < c.words.length; i++) {
    if (c.word(i) === 'all') all = true;
    else {
      const d = readUnsigned(c, c.word(i), 0, 86400);
      if (d === undefined) return c.error(`(${v.name}): ${kw} '${c.word(i)}' invalid - ignoring`);
      delay = d;
    }
  }
  if (delay === undefined) return c.error(`(${v.name}): ${kw} specified without time - ignoring`);
  dr(c).garpExtraIf = { intervalS: delay, all: all || dr(c).garpExtraIf?.all === true };
}

/** keepalived: alloc_vrrp_unicast_peer(). */
function addPeer(c: IC): void {
  const v = c.target;
  const raw = c.word(0);
  const a = parseSockAddr(raw);
  if (!a) return c.error(`Configuration error: VRRP instance[${v.name}] malformed unicast peer address[${raw}]. Skipping...`);
  if (!setFamily(c, a.family))
    return c.error(`Configuration error: VRRP instance[${v.name}] and unicast peer address[${raw}] MUST be of the same family !!! Skipping...`);
  const peer: UnicastPeer = { address: a.address, minTtl: 0, maxTtl: 255 };
  for (let i = 1; i < c.words.length; i += 2) {
    if (i + 1 >= c.words.length) {
      c.error(`(${v.name}) ${c.word(i)} is missing a value`);
      break;
    }
    const ttl = readUnsigned(c, c.word(i + 1), 0, 255);
    if (ttl === undefined) continue;
    if (c.word(i) === 'min_ttl') peer.minTtl = ttl;
    else if (c.word(i) === 'max_ttl') peer.maxTtl = ttl;
    else {
      c.error(`(${v.name}) unknown unicast_peer option ${c.word(i)}`);
      break;
    }
    v.checkUnicastSrc = true;
  }
  if (peer.minTtl > peer.maxTtl) c.error(`(${v.name}) min_ttl ${peer.minTtl} > max_ttl ${peer.maxTtl} - all packets will be discarded`);
  v.unicastPeers.push(peer);
}

/** keepalived: alloc_vrrp_vip() / alloc_vrrp_evip(). */
function vipBlock(c: IC, excluded: boolean): void {
  const v = c.target;
  for (const s of c.valueBlock()) {
    const lc = c.with(v, s);
    const a = parseAddressLine(lc, st(c), false);
    if (!a) continue;
    if (excluded) {
      v.evips.push(a);
      continue;
    }
    if (!setFamily(lc, a.family)) {
      lc.error(`(${v.name}): address family must match VRRP instance [${lc.word(0)}] - ignoring`);
      continue;
    }
    v.vips.push(a);
  }
}

const instanceSpec: BlockSpec<VrrpInstance> = { name: 'vrrp_instance', keywords: instanceKeywords };

function newInstance(state: BuildState, name: string, loc: SourceLoc): VrrpInstance {
  const g = globalView(state);
  const v: VrrpInstance = {
    name,
    loc,
    state: 'BACKUP',
    vrid: 0,
    priority: 100,
    advertIntervalMs: 1000,
    version: g.vrrpVersion,
    family: 'inet',
    vips: [],
    evips: [],
    routes: [],
    rules: [],
    unicastPeers: [],
    unicast: false,
    unicastFaultNoPeer: false,
    checkUnicastSrc: false,
    trackSrcIp: false,
    dontTrackPrimary: false,
    useVmacAddr: false,
    vmacXmitBase: false,
    promoteSecondaries: false,
    accept: true,
    preempt: true,
    preemptDelayMs: 0,
    skipCheckAdvAddr: g.vrrpSkipCheckAdvAddr,
    strictMode: false,
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    garpMasterDelayMs: g.vrrpGarpMasterDelayS * 1000,
    garpMasterRepeat: g.vrrpGarpMasterRepeat,
    garpMasterRefreshMs: g.vrrpGarpMasterRefreshS * 1000,
    garpMasterRefreshRepeat: g.vrrpGarpMasterRefreshRepeat,
    garpLowerPrioDelayMs: 0,
    garpLowerPrioRepeat: 0,
    garpExtraIf: { intervalS: 0, all: false },
    downTimerAdverts: g.vrrpDownTimerAdverts,
    notify: {},
    notifyDeleted: false,
    notifyPriorityChanges: false,
    smtpAlert: false,
    debug: 0,
    linkbeatUsePolling: false,
    ...emptyTrackLists(),
  };
  drafts.set(v, {
    wantState: 'INIT',
    basePriority: 0,
    advertUs: 0,
    version: 0,
    preemptDelayUs: 0,
    saddrFromConfig: false,
    unicastConfigured: false,
    vmacMacSpecified: false,
    authPass: '',
  });
  return v;
}

export const vrrpInstanceKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, VrrpInstance>(
    (c) => {
      if (c.words.length !== 2) {
        c.error('vrrp_instance must have a name');
        return SKIP;
      }
      const name = c.word(1);
      const list = c.target.config.vrrp.instances;
      if (list.some((i) => i.name === name)) {
        c.error(`vrrp instance ${name} already defined`);
        return SKIP;
      }
      const v = newInstance(c.target, name, c.loc);
      list.push(v);
      return v;
    },
    instanceSpec,
    (c) => {
      // keepalived: vrrp_end_handler()
      const v = c.target;
      const d = draftOf(v);
      if (d.unicastConfigured && (v.useVmac || v.useIpvlan)) {
        if (v.interface === undefined) {
          // without the interface only because this host lacks it: a host fact
          c.error(`(${v.name}): Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac`, d.interfaceMissingOnHost ? { host: true } : undefined);
          delete v.useVmac;
          delete v.useIpvlan;
        } else if (!v.vmacXmitBase) {
          c.error(`(${v.name}) unicast with use_vmac requires vmac_xmit_base - setting`);
          v.vmacXmitBase = true;
        }
      }
      if (v.unicastPeers.length === 0 && d.ttl !== undefined) {
        c.error(`(${v.name}): Cannot use unicast_ttl without unicast peers - resetting`);
        d.ttl = 0;
      }
      if (v.interface === undefined) v.linkbeatUsePolling = false;
    },
  ),
};

export { isIpv6LinkLocal };
