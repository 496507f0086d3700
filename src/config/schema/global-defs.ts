/**
 * The parent pass: `global_defs { … }`, the top-level statements that sit
 * beside it (net_namespace, instance, use_pid_dir, …) and `bfd_instance`
 * (schema/bfd.ts). keepalived: core/global_parser.c init_global_keywords(),
 * defaults from core/global_data.c alloc_global_data()/set_vrrp_defaults().
 */
import { sub } from '../engine.js';
import type { BlockSpec } from '../engine.js';
import type { HostFacts } from '../host.js';
import type { BuildState } from '../model.js';
import { bfdRootKeywords, createBfdSection } from './bfd.js';
import type { BfdSection } from './bfd.js';
import type { Ctx, KwTable, NotifyFifo, SockAddr } from './global-defs-common.js';
import { createFifo, flag } from './global-defs-common.js';
import { generalKeywords } from './global-defs-general.js';
import { lvsGlobalKeywords } from './global-defs-lvs.js';
import { vrrpGlobalKeywords } from './global-defs-vrrp.js';
import type { ScriptSpec } from './script.js';

export type { NotifyFifo, SockAddr } from './global-defs-common.js';
export type { BfdInstance, BfdSection } from './bfd.js';

/** Per-process scheduling settings (`vrrp_priority`, `checker_rt_priority`, …). */
export interface ProcessSettings {
  /** `*_process_name` (≤15 characters). */
  name?: string;
  /** nice value, −20..19. */
  priority: number;
  noSwap: boolean;
  /** SCHED_RR priority, 0 = not real-time. */
  rtPriority: number;
  cpuAffinity: number[];
  rlimitRttimeUs: number;
}

export interface RcvBufs {
  size: number;
  force: boolean;
}

export interface LvsSyncDaemon {
  interface: string;
  vrrpInstance?: string;
  /** 0..255; unset = the VRID of the instance. */
  syncId?: number;
  maxLen?: number;
  port?: number;
  ttl?: number;
  group?: SockAddr;
}

export interface GlobalSection {
  routerId: string;
  enableScriptSecurity: boolean;
  scriptUser?: { user: string; group?: string };

  // email
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: { host: string; address?: string; port: number };
  smtpHeloName?: string;
  smtpConnectTimeoutMs: number;
  /** undefined = not configured (object settings and defaults decide). */
  smtpAlert?: boolean;
  smtpAlertVrrp?: boolean;
  smtpAlertChecker?: boolean;
  checkerLogAllFailures: boolean;
  noEmailFaults: boolean;

  // scripts
  startupScript?: ScriptSpec;
  shutdownScript?: ScriptSpec;
  startupScriptTimeoutS: number;
  shutdownScriptTimeoutS: number;
  notifyFifo: NotifyFifo;
  vrrpNotifyFifo: NotifyFifo;
  lvsNotifyFifo: NotifyFifo;
  vrrpNotifyPriorityChanges: boolean;
  fifoWriteVrrpStatesOnReload: boolean;

  // processes
  processName?: string;
  vrrpProcess: ProcessSettings;
  checkerProcess: ProcessSettings;
  bfdProcess: ProcessSettings;
  /** −1 = off, 0 = not set (keepalived logs a NOTICE), else the SCHED_RR ceiling. */
  maxAutoPriority: number;
  minAutoPriorityDelayUs: number;

  // VRRP
  dynamicInterfaces: boolean;
  dynamicInterfacesAllowIfChanges: boolean;
  defaultInterface: string;
  disableLocalIgmp: boolean;
  vrrpMcastGroup4: string;
  vrrpMcastGroup6: string;
  vrrpGarpMasterDelayS: number;
  vrrpGarpMasterRepeat: number;
  vrrpGarpMasterRefreshS: number;
  vrrpGarpMasterRefreshRepeat: number;
  /** undefined = same as the master values. */
  vrrpGarpLowerPrioDelayS?: number;
  vrrpGarpLowerPrioRepeat?: number;
  vrrpGarpIntervalUs: number;
  vrrpGnaIntervalUs: number;
  vrrpGarpExtraIfS: number;
  vrrpGarpExtraIfAll: boolean;
  vrrpDownTimerAdverts: number;
  vrrpLowerPrioNoAdvert: boolean;
  vrrpHigherPrioSendAdvert: boolean;
  vrrpVersion: 2 | 3;
  vrrpCheckUnicastSrc: boolean;
  vrrpSkipCheckAdvAddr: boolean;
  vrrpStrict: boolean;
  /** nftables table for VRRP (`nftables`, or `vrrp_iptables` converted). */
  vrrpNftables?: string;
  vrrpNftablesPriority: number;
  vrrpNftablesIfindex: boolean;
  nftablesCounters: boolean;
  vrrpRxBufsPolicy: { mtu: boolean; advert: boolean; size?: number };
  vrrpRxBufsMultiplier: number;
  vrrpStartupDelayUs: number;
  logUnknownVrids: boolean;
  vmacPrefix?: string;
  vmacAddrPrefix?: string;
  vrrpNetlinkCmdRcvBufs: RcvBufs;
  vrrpNetlinkMonitorRcvBufs: RcvBufs;
  processMonitorRcvBufs: RcvBufs;

  // LVS
  lvsTimeouts: { tcpS?: number; tcpfinS?: number; udpS?: number };
  lvsFlush: boolean;
  lvsFlushOnStop: 'off' | 'full' | 'vs';
  lvsSyncDaemon?: LvsSyncDaemon;
  rsInitNotifies: boolean;
  noCheckerEmails: boolean;
  ipvsNftables?: string;
  ipvsNftablesPriority: number;
  ipvsNftablesStartFwmark: number;
  lvsNetlinkCmdRcvBufs: RcvBufs;
  lvsNetlinkMonitorRcvBufs: RcvBufs;

  // SNMP / DBus
  snmpSocket?: string;
  enableTraps: boolean;
  enableSnmpVrrp: boolean;
  enableSnmpChecker: boolean;
  enableSnmpRfcv2: boolean;
  enableSnmpRfcv3: boolean;
  enableDbus: boolean;
  dbusServiceName: string;

  // daemon housekeeping
  umask?: number;
  randomSeed?: number;
  reloadCheckConfig?: string;
  reloadTimeFile?: string;
  reloadRepeat: boolean;
  /** `reload_file` with no path means keepalived's default (in the pid directory). */
  reloadFile?: string | 'default';
  includeCheck?: string[];
  configSaveDir?: string;
  tmpConfigDirectory?: string;
  dataUseInstance: boolean;

  // top-level statements (outside global_defs)
  netNamespace?: string;
  /** '' = the default namespace. */
  netNamespaceIpvs?: string;
  namespaceWithIpsets: boolean;
  instance?: string;
  usePidDir: boolean;
  childWaitTimeS: number;
  linkbeatUsePolling: boolean;

  bfd: BfdSection;
}

function processDefaults(): ProcessSettings {
  return { priority: 0, noSwap: false, rtPriority: 0, cpuAffinity: [], rlimitRttimeUs: 10000 };
}

const rcv = (): RcvBufs => ({ size: 0, force: false });

export function createGlobalSection(host: HostFacts): GlobalSection {
  return {
    // keepalived: init_global_data() — getaddrinfo(AI_CANONNAME) of the node name.
    routerId: host.nodeName,
    enableScriptSecurity: false,
    notificationEmail: [],
    smtpConnectTimeoutMs: 30_000,
    checkerLogAllFailures: false,
    noEmailFaults: false,
    startupScriptTimeoutS: 10,
    shutdownScriptTimeoutS: 10,
    notifyFifo: createFifo(),
    vrrpNotifyFifo: createFifo(),
    lvsNotifyFifo: createFifo(),
    vrrpNotifyPriorityChanges: false,
    fifoWriteVrrpStatesOnReload: false,
    vrrpProcess: processDefaults(),
    checkerProcess: processDefaults(),
    bfdProcess: processDefaults(),
    maxAutoPriority: 0,
    minAutoPriorityDelayUs: 1_000_000,
    dynamicInterfaces: false,
    dynamicInterfacesAllowIfChanges: false,
    defaultInterface: 'eth0',
    disableLocalIgmp: false,
    vrrpMcastGroup4: '224.0.0.18',
    vrrpMcastGroup6: 'ff02::12',
    vrrpGarpMasterDelayS: 5,
    vrrpGarpMasterRepeat: 5,
    vrrpGarpMasterRefreshS: 0,
    vrrpGarpMasterRefreshRepeat: 1,
    vrrpGarpIntervalUs: 0,
    vrrpGnaIntervalUs: 0,
    vrrpGarpExtraIfS: 0,
    vrrpGarpExtraIfAll: false,
    vrrpDownTimerAdverts: 3,
    vrrpLowerPrioNoAdvert: false,
    vrrpHigherPrioSendAdvert: false,
    vrrpVersion: 2,
    vrrpCheckUnicastSrc: false,
    vrrpSkipCheckAdvAddr: false,
    vrrpStrict: false,
    vrrpNftablesPriority: -1,
    vrrpNftablesIfindex: false,
    nftablesCounters: false,
    vrrpRxBufsPolicy: { mtu: false, advert: false },
    vrrpRxBufsMultiplier: 3,
    vrrpStartupDelayUs: 0,
    logUnknownVrids: false,
    vrrpNetlinkCmdRcvBufs: rcv(),
    vrrpNetlinkMonitorRcvBufs: rcv(),
    processMonitorRcvBufs: rcv(),
    lvsTimeouts: {},
    lvsFlush: false,
    lvsFlushOnStop: 'off',
    rsInitNotifies: false,
    noCheckerEmails: false,
    ipvsNftablesPriority: -1,
    ipvsNftablesStartFwmark: 1000,
    lvsNetlinkCmdRcvBufs: rcv(),
    lvsNetlinkMonitorRcvBufs: rcv(),
    enableTraps: false,
    enableSnmpVrrp: false,
    enableSnmpChecker: false,
    enableSnmpRfcv2: false,
    enableSnmpRfcv3: false,
    enableDbus: false,
    dbusServiceName: 'org.keepalived.Vrrp1',
    reloadRepeat: false,
    dataUseInstance: false,
    namespaceWithIpsets: false,
    usePidDir: false,
    childWaitTimeS: 5,
    linkbeatUsePolling: false,
    bfd: createBfdSection(),
  };
}

const g = (c: Ctx): GlobalSection => c.target.config.global;

/** keepalived: init_global_keywords() — the global_defs sub-keywords. */
export const globalDefsSpec: BlockSpec<BuildState> = {
  name: 'global_defs',
  keywords: { ...generalKeywords, ...vrrpGlobalKeywords, ...lvsGlobalKeywords },
};

/** Statements that sit at top level, beside global_defs (inside it they are unknown). */
const topLevelStatements: KwTable = {
  linkbeat_use_polling: flag((c) => {
    g(c).linkbeatUsePolling = true;
  }),
  net_namespace: {
    handler: (c) => {
      if (!c.has(1)) return c.error('net_namespace name missing - ignoring');
      const gs = g(c);
      if (gs.netNamespace !== undefined) return c.error(`Duplicate net_namespace definition ${c.word(1)} - ignoring`);
      gs.netNamespace = c.word(1);
      gs.usePidDir = true;
    },
  },
  net_namespace_ipvs: {
    handler: (c) => {
      const gs = g(c);
      // keepalived reads word 1 for the message even when it is absent.
      if (gs.netNamespaceIpvs !== undefined)
        return c.error(`Duplicate net_namespace_ipvs definition ${c.word(1)} - ignoring`);
      gs.netNamespaceIpvs = c.has(1) ? c.word(1) : '';
    },
  },
  namespace_with_ipsets: flag((c) => {
    g(c).namespaceWithIpsets = true;
  }),
  use_pid_dir: flag((c) => {
    g(c).usePidDir = true;
  }),
  instance: {
    handler: (c) => {
      if (!c.has(1)) return c.error('instance name missing - ignoring');
      const gs = g(c);
      if (gs.instance !== undefined) return c.error(`Duplicate instance definition ${c.word(1)} - ignoring`);
      gs.instance = c.word(1);
      gs.usePidDir = true;
    },
  },
  child_wait_time: {
    handler: (c) => {
      const v = c.readUnsigned(1, 0, 4294967295);
      if (v === undefined) return c.error(`Invalid child_wait_time ${c.word(1)}`);
      g(c).childWaitTimeS = v;
    },
  },
};

export const globalRootKeywords: KwTable = {
  ...Object.fromEntries(Object.entries(topLevelStatements).map(([k, v]) => [k, { ...v, passes: ['parent'] }])),
  global_defs: { passes: ['parent'], sub: sub((c: Ctx) => c.target, globalDefsSpec) },
  ...bfdRootKeywords,
};

/**
 * keepalived: init_global_data() after the parent's read — defaults that depend
 * on what was configured. keepalived reports nothing here.
 */
export function validateGlobal(state: BuildState): void {
  const gs = state.config.global;
  // keepalived: local_name (the canonical host name) is the default HELO name.
  if (gs.smtpServer && gs.smtpHeloName === undefined) gs.smtpHeloName = state.host.nodeName;
}
