/**
 * global_defs keywords for the VRRP process (multicast groups, gratuitous ARP
 * timing, version, firewall, receive buffers, VMAC prefixes).
 * keepalived: core/global_parser.c (the _WITH_VRRP_ part of init_global_keywords()).
 */
import { UINT_MAX } from '../engine.js';
import type { GlobalSection, RcvBufs } from './global-defs.js';
import type { Ctx, Kw, KwTable } from './global-defs-common.js';
import {
  flag,
  globalBool,
  inetStoSockaddr,
  isLinkLocalMulticast6,
  isMulticast,
  notifyFifoKw,
  notifyFifoScriptKw,
  optBool,
} from './global-defs-common.js';

const g = (c: Ctx): GlobalSection => c.target.config.global;
const TIMER_HZ = 1_000_000;
const NFT_TABLE_MAXNAMELEN = 256;

/** keepalived: vrrp_mcast_group4_handler() / vrrp_mcast_group6_handler(). */
function mcastGroup(v: 4 | 6): Kw {
  const kw = `vrrp_mcast_group${v}`;
  return {
    handler: (c) => {
      const w = c.word(1);
      const a = inetStoSockaddr(c, w);
      if (!a) return c.error(`Can't parse ${kw} [${w}]. Skipping`);
      if (a.family !== v) return c.error(`${kw} [${w}] is not IPv${v}. Skipping`);
      if (!isMulticast(a)) return c.error(`${kw} [${w}] is not multicast. Skipping`);
      if (v === 6) {
        if (!isLinkLocalMulticast6(a.address))
          c.report('WARNING', 'KA_CFG_WARNING', `${kw} [${w}] should be link-local multicast.`);
        g(c).vrrpMcastGroup6 = a.address;
      } else g(c).vrrpMcastGroup4 = a.address;
    },
  };
}

/** An unsigned with keepalived's "<kw> 'X' invalid - ignoring" style message. */
function unsignedKw(
  min: number,
  max: number,
  message: (w: string) => string,
  set: (c: Ctx, v: number) => void,
): Kw {
  return {
    handler: (c) => {
      const v = c.readUnsigned(1, min, max);
      if (v === undefined) return c.error(message(c.word(1)));
      set(c, v);
    },
  };
}

/** A repeat count where 0 is accepted with an error and set to 1 (pre-2.0.7 compatibility). */
function repeatKw(kw: string, set: (c: Ctx, v: number) => void): Kw {
  return unsignedKw(0, UINT_MAX, (w) => `${kw} '${w}' invalid - ignoring`, (c, v) => {
    if (v === 0) c.error(`${kw} must be greater than 0, setting to 1`);
    set(c, v === 0 ? 1 : v);
  });
}

/** keepalived: vrrp_garp_interval_handler() / vrrp_gna_interval_handler(). */
function garpInterval(kw: string, key: 'vrrpGarpIntervalUs' | 'vrrpGnaIntervalUs'): Kw {
  return {
    handler: (c) => {
      const v = c.readDecimal(1, 1, UINT_MAX, 6);
      if (v === undefined) c.error(`${kw} '${c.word(1)}' is invalid`);
      else g(c)[key] = v;
      if (g(c)[key] >= TIMER_HZ) c.log(`The ${kw} is very large - ${c.word(1)} seconds`);
    },
  };
}

/** keepalived: vrrp_vmac_garp_extra_if_handler(). */
function garpExtraIf(c: Ctx): void {
  const kw = c.keyword;
  if (kw === 'vrrp_vmac_garp_intvl')
    c.report('DEPRECATED', 'KA_CFG_DEPRECATED', 'Keyword "vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if"');
  let delay = 0;
  for (let i = 1; c.has(i); i++) {
    if (c.word(i) === 'all') {
      g(c).vrrpGarpExtraIfAll = true;
      continue;
    }
    const v = c.readUnsigned(i, 1, 86400);
    if (v === undefined) return c.error(`${kw} '${c.word(i)}' invalid - ignoring`);
    delay = v;
  }
  if (!delay) return c.error(`${kw} specified without time - ignoring`);
  g(c).vrrpGarpExtraIfS = delay;
}

/** keepalived: vrrp_min_garp_handler() — only values still at their defaults change. */
function minGarp(c: Ctx, on: boolean): void {
  if (!on) return;
  const gs = g(c);
  if (gs.vrrpGarpMasterRepeat === 5) gs.vrrpGarpMasterRepeat = 1;
  if (gs.vrrpGarpMasterRefreshS === 0) gs.vrrpGarpMasterRefreshS = 0;
  if (gs.vrrpGarpMasterRefreshRepeat === 1) gs.vrrpGarpMasterRefreshRepeat = 0;
  if (gs.vrrpGarpMasterDelayS === 5) gs.vrrpGarpMasterDelayS = 0;
}

/** keepalived: vrrp_rx_bufs_policy_handler(). */
function rxBufsPolicy(c: Ctx): void {
  if (!c.has(1)) return c.error('vrrp_rx_bufs_policy missing');
  const p = g(c).vrrpRxBufsPolicy;
  for (let i = 1; c.has(i); i++) {
    const w = c.word(i).toUpperCase();
    if (w === 'MTU') p.mtu = true;
    else if (w === 'ADVERT') p.advert = true;
    else {
      // keepalived re-reads word 1 here whatever i is.
      const v = c.readUnsigned(1, 0, UINT_MAX);
      if (v === undefined) c.error(`Invalid vrrp_rx_bufs_policy ${c.word(i)}`);
      else p.size = v;
    }
  }
  if (p.size !== undefined && (p.mtu || p.advert)) {
    c.error('Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy');
    p.mtu = false;
    p.advert = false;
  } else if (p.mtu && p.advert) {
    c.error('Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT');
    p.advert = false;
  }
}

/** keepalived: get_netlink_rcv_bufs_size() and the *_force booleans. */
export function rcvBufsKeywords(type: string, get: (c: Ctx) => RcvBufs): KwTable {
  return {
    [`${type}_rcv_bufs`]: {
      handler: (c) => {
        if (!c.has(1)) return c.error(`${type}_rcv_bufs size missing`);
        const v = c.readUnsigned(1, 0, UINT_MAX);
        if (v === undefined) return c.error(`${type}_rcv_bufs size (${c.word(1)}) invalid`);
        if (v) get(c).size = v;
      },
    },
    [`${type}_rcv_bufs_force`]: globalBool(`${type}_rcv_bufs_force`, (c, v) => {
      get(c).force = v;
    }),
  };
}

function prefixKw(what: string, key: 'vmacPrefix' | 'vmacAddrPrefix'): Kw {
  return {
    handler: (c) => {
      if (g(c)[key] !== undefined) return c.error(`${what} prefix has already been specified - ignoring ${c.word(1)}`);
      g(c)[key] = c.word(1);
    },
  };
}

export const vrrpGlobalKeywords: KwTable = {
  dynamic_interfaces: {
    handler: (c) => {
      g(c).dynamicInterfaces = true;
      if (!c.has(1)) return;
      if (c.word(1) === 'allow_if_changes') g(c).dynamicInterfacesAllowIfChanges = true;
      else c.error(`Unknown dynamic_interfaces option '${c.word(1)}'`);
    },
  },
  no_email_faults: flag((c) => {
    g(c).noEmailFaults = true;
  }),
  default_interface: {
    handler: (c) => {
      if (!c.has(1)) return c.error('default_interface requires interface name');
      g(c).defaultInterface = c.word(1);
    },
  },
  // keepalived checks /proc/sys/net/ipv4/igmp_link_local_mcast_reports is writable (Linux ≥ 4.2).
  disable_local_igmp: flag((c) => {
    g(c).disableLocalIgmp = true;
  }),
  vrrp_mcast_group4: mcastGroup(4),
  vrrp_mcast_group6: mcastGroup(6),
  vrrp_garp_master_delay: unsignedKw(
    0,
    Math.floor(UINT_MAX / TIMER_HZ),
    (w) => `vrrp_garp_master_delay '${w}' invalid - ignoring`,
    (c, v) => {
      g(c).vrrpGarpMasterDelayS = v;
    },
  ),
  vrrp_garp_master_repeat: repeatKw('vrrp_garp_master_repeat', (c, v) => {
    g(c).vrrpGarpMasterRepeat = v;
  }),
  vrrp_garp_master_refresh: {
    handler: (c) => {
      const v = c.readUnsigned(1, 0, UINT_MAX);
      if (v === undefined) c.error(`Invalid vrrp_garp_master_refresh '${c.word(1)}' - ignoring`);
      g(c).vrrpGarpMasterRefreshS = v ?? 0;
    },
  },
  vrrp_garp_master_refresh_repeat: repeatKw('vrrp_garp_master_refresh_repeat', (c, v) => {
    g(c).vrrpGarpMasterRefreshRepeat = v;
  }),
  vrrp_garp_lower_prio_delay: unsignedKw(
    0,
    Math.floor(UINT_MAX / TIMER_HZ),
    (w) => `vrrp_garp_lower_prio_delay '${w}' invalid - ignoring`,
    (c, v) => {
      g(c).vrrpGarpLowerPrioDelayS = v;
    },
  ),
  vrrp_garp_lower_prio_repeat: unsignedKw(
    0,
    2147483647,
    (w) => `Invalid vrrp_garp_lower_prio_repeat '${w}'`,
    (c, v) => {
      g(c).vrrpGarpLowerPrioRepeat = v;
    },
  ),
  vrrp_down_timer_adverts: unsignedKw(
    1,
    100,
    (w) => `Invalid vrrp_down_timer_adverts [1:100] '${w}'`,
    (c, v) => {
      g(c).vrrpDownTimerAdverts = v;
    },
  ),
  vrrp_garp_interval: garpInterval('vrrp_garp_interval', 'vrrpGarpIntervalUs'),
  vrrp_gna_interval: garpInterval('vrrp_gna_interval', 'vrrpGnaIntervalUs'),
  vrrp_min_garp: optBool(minGarp, () => 'Invalid value for vrrp_min_garp specified'),
  vrrp_garp_extra_if: { handler: garpExtraIf },
  vrrp_vmac_garp_intvl: { handler: garpExtraIf },
  vrrp_lower_prio_no_advert: optBool(
    (c, v) => {
      g(c).vrrpLowerPrioNoAdvert = v;
    },
    () => 'Invalid value for vrrp_lower_prio_no_advert specified',
  ),
  vrrp_higher_prio_send_advert: optBool(
    (c, v) => {
      g(c).vrrpHigherPrioSendAdvert = v;
    },
    () => 'Invalid value for vrrp_higher_prio_send_advert specified',
  ),
  vrrp_version: {
    handler: (c) => {
      const v = c.readInt(1, 2, 3);
      if (v === undefined) return c.error('VRRP Error: Version must be either 2 or 3');
      g(c).vrrpVersion = v === 3 ? 3 : 2;
    },
  },
  // Debian's 2.2.7 is built with nftables and without iptables: the legacy keyword is converted.
  // That is a fact of the keepalived build, not of the config, so it is reported as a host fact.
  vrrp_iptables: flag((c) => {
    c.error(
      "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option",
      { host: true },
    );
    g(c).vrrpNftables = 'keepalived';
    g(c).vrrpNftablesPriority = -1;
  }),
  nftables: {
    handler: (c) => {
      const gs = g(c);
      if (gs.vrrpNftables !== undefined) return c.error('nftables already specified - ignoring');
      if (c.has(1) && c.word(1).length >= NFT_TABLE_MAXNAMELEN) return c.error('nftables table name too long - ignoring');
      gs.vrrpNftables = c.has(1) ? c.word(1) : 'keepalived';
      gs.vrrpNftablesPriority = -1;
    },
  },
  nftables_priority: {
    handler: (c) => {
      const v = c.readInt(1, -2147483648, 2147483647);
      if (v === undefined)
        return c.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `invalid nftables chain priority '${c.word(1)}'`);
      g(c).vrrpNftablesPriority = v;
    },
  },
  nftables_ifindex: flag((c) => {
    g(c).vrrpNftablesIfindex = true;
  }),
  nftables_counters: flag((c) => {
    g(c).nftablesCounters = true;
  }),
  vrrp_check_unicast_src: flag((c) => {
    g(c).vrrpCheckUnicastSrc = true;
  }),
  vrrp_skip_check_adv_addr: flag((c) => {
    g(c).vrrpSkipCheckAdvAddr = true;
  }),
  vrrp_strict: flag((c) => {
    g(c).vrrpStrict = true;
  }),
  vrrp_notify_fifo: notifyFifoKw('vrrp_', (c) => g(c).vrrpNotifyFifo),
  vrrp_notify_fifo_script: notifyFifoScriptKw('vrrp_', (c) => g(c).vrrpNotifyFifo, ['vrrp']),
  vrrp_notify_priority_changes: globalBool('vrrp_notify_priority_changes', (c, v) => {
    g(c).vrrpNotifyPriorityChanges = v;
  }),
  fifo_write_vrrp_states_on_reload: flag((c) => {
    g(c).fifoWriteVrrpStatesOnReload = true;
  }),
  ...rcvBufsKeywords('vrrp_netlink_cmd', (c) => g(c).vrrpNetlinkCmdRcvBufs),
  ...rcvBufsKeywords('vrrp_netlink_monitor', (c) => g(c).vrrpNetlinkMonitorRcvBufs),
  ...rcvBufsKeywords('process_monitor', (c) => g(c).processMonitorRcvBufs),
  vrrp_rx_bufs_policy: { handler: rxBufsPolicy },
  vrrp_rx_bufs_multiplier: {
    handler: (c) => {
      if (c.words.length !== 2) return c.error('Invalid vrrp_rx_bufs_multiplier');
      const v = c.readUnsigned(1, 1, UINT_MAX);
      if (v === undefined) return c.error(`Invalid vrrp_rx_bufs_multiplier ${c.word(1)}`);
      g(c).vrrpRxBufsMultiplier = v;
    },
  },
  vrrp_startup_delay: {
    handler: (c) => {
      const v = c.readDecimal(1, TIMER_HZ / 1000, UINT_MAX, 6);
      if (v === undefined) c.error(`vrrp_startup_delay '${c.word(1)}' is invalid`);
      else g(c).vrrpStartupDelayUs = v;
      if (g(c).vrrpStartupDelayUs >= 60 * TIMER_HZ) c.log(`The vrrp_startup_delay is very large - ${c.word(1)} seconds`);
    },
  },
  log_unknown_vrids: flag((c) => {
    g(c).logUnknownVrids = true;
  }),
  vmac_prefix: prefixKw('vmac', 'vmacPrefix'),
  vmac_addr_prefix: prefixKw('vmac_addr', 'vmacAddrPrefix'),
};
