/**
 * Config → what the VRRP daemon runs: driver options per instance, the
 * sockets and addresses each instance needs, and the trackers to start.
 * Pure: host facts (an interface's primary address) come in as a function.
 */
import type { Config } from '../config/model.js';
import type { IpAddress } from '../config/schema/address.js';
import type { TrackLists, TrackProcess, VrrpScript } from '../config/schema/vrrp-track.js';
import type { SyncGroup as SyncGroupConfig, VrrpInstance } from '../config/schema/vrrp.js';
import type { AdvertAuth, IpFamily } from '../vrrp/advert.js';
import type { DriverInstanceOptions } from '../vrrp/driver.js';
import { authPassFromConfig } from '../vrrp/packet.js';
import type { Tracker } from '../vrrp/tracker.js';

export interface PlannedInstance {
  readonly name: string;
  readonly driver: DriverInstanceOptions;
  readonly interface: string;
  readonly family: IpFamily;
  /** Destination of multicast adverts (vrrp_mcast_group4/6 or mcast_dst_ip). */
  readonly mcastGroup: string;
  /** Empty: multicast. */
  readonly unicastPeers: readonly string[];
  /** TTL / hop limit for unicast adverts; undefined = kernel default (IPv6). */
  readonly unicastTtl: number | undefined;
  readonly vips: readonly IpAddress[];
  readonly evips: readonly IpAddress[];
  readonly notify: VrrpInstance['notify'];
  readonly notifyPriorityChanges: boolean;
  readonly syncGroup: string | undefined;
  /** garp_master_refresh (0: off) and garp_master_refresh_repeat. */
  readonly garpRefreshMs: number;
  readonly garpRefreshRepeat: number;
}

export interface PlannedGroup {
  readonly name: string;
  readonly members: readonly string[];
  readonly notify: SyncGroupConfig['notify'];
}

export interface VrrpPlan {
  readonly instances: readonly PlannedInstance[];
  readonly groups: readonly PlannedGroup[];
  /** The vrrp_scripts some instance tracks (and not disabled by script security). */
  readonly scripts: readonly VrrpScript[];
  /** Interfaces whose link state some instance follows. */
  readonly interfaces: readonly string[];
  /** track_file name → file path. */
  readonly files: ReadonlyMap<string, string>;
  /** The vrrp_track_process definitions some instance tracks. */
  readonly processes: readonly TrackProcess[];
  /** Instances that cannot run, with why (keepalived would refuse them at config time or put them in FAULT). */
  readonly problems: readonly string[];
}

export interface PlanFacts {
  /** First address of `family` the kernel lists on the interface, ignoring `exclude` (our VIPs). */
  readonly primaryAddress: (ifname: string, family: IpFamily, exclude: ReadonlySet<string>) => string | undefined;
}

/** Tracker ids, shared with whoever reports their status. */
export const trackerId = {
  interface: (name: string): string => `interface:${name}`,
  script: (name: string): string => `script:${name}`,
  file: (name: string): string => `file:${name}`,
  process: (name: string): string => `process:${name}`,
};

function trackersOf(lists: TrackLists, scripts: ReadonlyMap<string, VrrpScript>, config: Config): Tracker[] {
  const out: Tracker[] = [];
  for (const t of lists.trackInterfaces) {
    out.push({ id: trackerId.interface(t.name), kind: 'interface', weight: t.weight, isReversed: t.reverse });
  }
  for (const t of lists.trackScripts) {
    const s = scripts.get(t.name);
    if (s === undefined) continue; // keepalived: "track script X not found, ignoring..." (or disabled)
    // The reference already carries the script's weight unless it set its own.
    out.push({
      id: trackerId.script(t.name),
      kind: 'script',
      weight: t.weight,
      isReversed: t.reverse,
      // keepalived 2.2.7: alloc_track_script() resets init_fail, so a tracked script starts unknown.
    });
  }
  for (const t of lists.trackFiles) {
    const f = config.trackFiles.get(t.name);
    if (f === undefined) continue;
    out.push({ id: trackerId.file(t.name), kind: 'file', weight: t.weight, isReversed: t.reverse });
  }
  for (const t of lists.trackProcesses) {
    out.push({ id: trackerId.process(t.name), kind: 'process', weight: t.weight, isReversed: t.reverse });
  }
  return out;
}

function authOf(v: VrrpInstance): AdvertAuth {
  if (v.auth === undefined) return { type: 'none' };
  if (v.auth.type === 'AH') return { type: 'ah' };
  return { type: 'pass', password: authPassFromConfig(v.auth.password) };
}

const familyOf = (v: VrrpInstance): IpFamily => (v.family === 'inet6' ? 6 : 4);

export function planVrrp(config: Config, facts: PlanFacts): VrrpPlan {
  const problems: string[] = [];
  const scripts = new Map(config.vrrp.scripts.filter((s) => s.script.disabled === undefined).map((s) => [s.name, s]));
  const groupOf = new Map<string, string>();
  const groups: PlannedGroup[] = [];
  const groupTracking = new Map<string, TrackLists>();
  for (const g of config.vrrp.syncGroups) {
    const members = (g.members ?? []).filter((m) => config.vrrp.instances.some((v) => v.name === m));
    if (members.length === 0) continue;
    for (const m of members) {
      groupOf.set(m, g.name);
      groupTracking.set(m, g);
    }
    groups.push({ name: g.name, members, notify: g.notify });
  }
  const vipSet = new Set(config.vrrp.instances.flatMap((v) => [...v.vips, ...v.evips].map((a) => a.address)));
  const instances: PlannedInstance[] = [];
  for (const v of config.vrrp.instances) {
    const family = familyOf(v);
    if (v.interface === undefined) {
      problems.push(`(${v.name}) has no interface`);
      continue;
    }
    if (v.auth?.type === 'AH') {
      problems.push(`(${v.name}) auth_type AH is not supported`);
      continue;
    }
    const primary = v.srcIp ?? facts.primaryAddress(v.interface, family, vipSet);
    if (primary === undefined) {
      problems.push(`(${v.name}) no ${family === 4 ? 'IPv4' : 'IPv6'} address on ${v.interface}`);
      continue;
    }
    const own = trackersOf(v, scripts, config);
    const fromGroup = groupTracking.get(v.name);
    const trackers = fromGroup === undefined ? own : [...own, ...trackersOf(fromGroup, scripts, config)];
    if (!v.dontTrackPrimary && !trackers.some((t) => t.id === trackerId.interface(v.interface as string))) {
      // keepalived: the instance's own interface going down puts it in FAULT.
      trackers.push({ id: trackerId.interface(v.interface), kind: 'interface', weight: 0 });
    }
    const driver: DriverInstanceOptions = {
      family,
      vrid: v.vrid,
      version: v.version,
      priority: v.priority,
      initialState: v.state,
      advertIntervalMs: v.advertIntervalMs,
      primaryAddress: primary,
      vips: v.vips.filter((a) => (a.family === 'inet6' ? 6 : 4) === family).map((a) => a.address),
      auth: authOf(v),
      nopreempt: !v.preempt,
      preemptDelayMs: v.preemptDelayMs,
      downTimerAdverts: v.downTimerAdverts,
      lowerPrioNoAdvert: v.lowerPrioNoAdvert,
      higherPrioSendAdvert: v.higherPrioSendAdvert,
      skipCheckAdvAddr: v.skipCheckAdvAddr,
      garpMasterRepeat: v.garpMasterRepeat,
      garpMasterDelayMs: v.garpMasterDelayMs,
      garpLowerPrioRepeat: v.garpLowerPrioRepeat,
      garpLowerPrioDelayMs: v.garpLowerPrioDelayMs,
      trackers,
    };
    instances.push({
      name: v.name,
      driver,
      interface: v.interface,
      family,
      mcastGroup: v.mcastDstIp ?? (family === 4 ? config.global.vrrpMcastGroup4 : config.global.vrrpMcastGroup6),
      unicastPeers: v.unicastPeers.map((p) => p.address),
      unicastTtl: v.unicastTtl,
      vips: v.vips,
      evips: v.evips,
      notify: v.notify,
      notifyPriorityChanges: v.notifyPriorityChanges,
      syncGroup: groupOf.get(v.name),
      garpRefreshMs: v.garpMasterRefreshMs,
      garpRefreshRepeat: v.garpMasterRefreshRepeat,
    });
  }
  const tracked = instances.flatMap((i) => i.driver.trackers ?? []);
  const used = (prefix: string): string[] => [
    ...new Set(tracked.filter((t) => t.id.startsWith(prefix)).map((t) => t.id.slice(prefix.length))),
  ];
  const files = new Map<string, string>();
  for (const name of used('file:')) {
    const f = config.trackFiles.get(name);
    if (f !== undefined) files.set(name, f.file);
  }
  return {
    instances,
    groups: groups.map((g) => ({ ...g, members: g.members.filter((m) => instances.some((i) => i.name === m)) })),
    scripts: used('script:').flatMap((n) => scripts.get(n) ?? []),
    interfaces: used('interface:'),
    files,
    processes: used('process:').flatMap((n) => config.vrrp.trackProcesses.find((tp) => tp.name === n) ?? []),
    problems,
  };
}
