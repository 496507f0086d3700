/**
 * global_defs keywords for the checker process: IPVS timeouts, flushing, the
 * sync daemon, LVS notify FIFO, nftables for IPVS, netlink buffers.
 * keepalived: core/global_parser.c (the _WITH_LVS_ part of init_global_keywords()).
 */
import { UINT_MAX } from '../engine.js';
import type { GlobalSection, LvsSyncDaemon } from './global-defs.js';
import type { Ctx, KwTable } from './global-defs-common.js';
import { flag, globalBool, inetStoSockaddr, isMulticast, notifyFifoKw, notifyFifoScriptKw } from './global-defs-common.js';
import { rcvBufsKeywords } from './global-defs-vrrp.js';

const g = (c: Ctx): GlobalSection => c.target.config.global;
/** keepalived: LVS_MAX_TIMEOUT (31 days). */
const LVS_MAX_TIMEOUT = 86400 * 31;
const IP_VS_IFNAME_MAXLEN = 16;

const TIMEOUT_KEYS = { tcp: 'tcpS', tcpfin: 'tcpfinS', udp: 'udpS' } as const;

/** keepalived: lvs_timeouts(). */
function lvsTimeouts(c: Ctx): void {
  if (c.words.length < 3) return c.error('lvs_timeouts requires at least one option');
  for (let i = 1; c.has(i); i++) {
    const w = c.word(i);
    if (!Object.hasOwn(TIMEOUT_KEYS, w)) {
      c.error(`Unknown option ${w} specified for lvs_timeouts`);
      continue;
    }
    const key = TIMEOUT_KEYS[w as keyof typeof TIMEOUT_KEYS];
    if (!c.has(i + 1)) {
      c.error(`No value specified for lvs_timeout ${w} - ignoring`);
      continue;
    }
    const v = c.readUnsigned(i + 1, 0, LVS_MAX_TIMEOUT);
    if (v === undefined) c.error(`Invalid lvs_timeout ${w} (${c.word(i + 1)}) - ignoring`);
    else g(c).lvsTimeouts[key] = v;
    i++;
  }
}

/** One `NAME VALUE` option of lvs_sync_daemon; returns false when the value is missing. */
function syncOption(
  c: Ctx,
  i: number,
  name: string,
  read: (i: number) => number | undefined,
  set: (v: number) => void,
  invalid: string,
  missing: string,
): void {
  if (!c.has(i + 1)) return c.error(missing);
  const v = read(i + 1);
  if (v === undefined) c.error(`${invalid} (${c.word(i + 1)})${name === 'id' ? ' - defaulting to vrid' : ' - ignoring'}`);
  else set(v);
}

/** keepalived: lvs_syncd_handler(). */
function lvsSyncDaemon(c: Ctx): void {
  const gs = g(c);
  if (gs.lvsSyncDaemon)
    return c.error(
      `lvs_sync_daemon has already been specified as ${gs.lvsSyncDaemon.interface} ${gs.lvsSyncDaemon.vrrpInstance ?? ''} - ignoring`,
    );
  if (!c.has(1)) return c.error('lvs_sync_daemon requires interface');
  if (c.word(1).length >= IP_VS_IFNAME_MAXLEN)
    return c.error(`lvs_sync_daemon interface name '${c.word(1)}' too long - ignoring`);
  const sd: LvsSyncDaemon = { interface: c.word(1) };
  gs.lvsSyncDaemon = sd;
  const u = (min: number, max: number) => (i: number) => c.readUnsigned(i, min, max);
  for (let i = 2; c.has(i); i++) {
    const w = c.word(i);
    if (w === 'inst') {
      if (sd.vrrpInstance !== undefined)
        c.error(`lvs_sync_daemon vrrp instance has already been specified as ${sd.vrrpInstance} - ignoring`);
      else sd.vrrpInstance = c.word(i + 1);
      i++;
      continue;
    }
    const simple = {
      id: ['Invalid syncid', 0, 255, (v: number) => void (sd.syncId = v)],
      maxlen: ['Invalid lvs_sync_daemon maxlen', 1, 65535 - 20 - 8, (v: number) => void (sd.maxLen = v)],
      port: ['Invalid lvs_sync_daemon port', 1, 65535, (v: number) => void (sd.port = v)],
      ttl: ['Invalid lvs_sync_daemon ttl', 1, 255, (v: number) => void (sd.ttl = v)],
    } as const;
    if (Object.hasOwn(simple, w)) {
      const [invalid, min, max, set] = simple[w as keyof typeof simple];
      const missing =
        w === 'id'
          ? 'No value specified for lvs_sync_daemon id, defaulting to vrid'
          : `No value specified for lvs_sync_daemon ${w} - ignoring`;
      if (!c.has(i + 1)) {
        c.error(missing);
        continue;
      }
      syncOption(c, i, w, u(min, max), set, invalid, missing);
      i++;
      continue;
    }
    if (w === 'group') {
      if (!c.has(i + 1)) {
        c.error('No value specified for lvs_sync_daemon group - ignoring');
        continue;
      }
      const a = inetStoSockaddr(c, c.word(i + 1));
      if (!a) c.error(`Invalid lvs_sync_daemon group (${c.word(i + 1)}) - ignoring`);
      else if (!isMulticast(a)) c.error(`lvs_sync_daemon group address ${c.word(i + 1)} is not multicast - ignoring`);
      else sd.group = a;
      i++;
      continue;
    }
    // Backward compatibility: lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID].
    if (i === 2) {
      sd.vrrpInstance = w;
      continue;
    }
    if (i === 3) {
      const v = c.readUnsigned(3, 0, 255);
      if (v === undefined) c.error(`Invalid syncid (${w}) - defaulting to vrid`);
      else {
        c.error('Please use keyword "id" before lvs_sync_daemon SYNCID');
        sd.syncId = v;
      }
      continue;
    }
    c.error(`Unknown option ${w} specified for lvs_sync_daemon`);
  }
}

function lvsFlushOnStop(c: Ctx): void {
  if (!c.has(1)) g(c).lvsFlushOnStop = 'full';
  else if (c.word(1) === 'VS') g(c).lvsFlushOnStop = 'vs';
  else c.error(`Unknown lvs_flush_on_stop type ${c.word(1)}`);
}

export const lvsGlobalKeywords: KwTable = {
  lvs_timeouts: { handler: lvsTimeouts },
  lvs_flush: flag((c) => {
    g(c).lvsFlush = true;
  }),
  lvs_flush_on_stop: { handler: lvsFlushOnStop },
  // Deprecated after v2.1.5, still silent in 2.2.7.
  lvs_flush_onstop: { handler: lvsFlushOnStop },
  lvs_sync_daemon: { handler: lvsSyncDaemon },
  lvs_notify_fifo: notifyFifoKw('lvs_', (c) => g(c).lvsNotifyFifo),
  lvs_notify_fifo_script: notifyFifoScriptKw('lvs_', (c) => g(c).lvsNotifyFifo, ['checker']),
  nftables_ipvs: {
    handler: (c) => {
      const gs = g(c);
      if (gs.ipvsNftables !== undefined) return c.error('ipvs nftables already specified - ignoring');
      if (c.has(1) && c.word(1).length >= 256) return c.error('ipvs nftables table name too long - ignoring');
      gs.ipvsNftables = c.has(1) ? c.word(1) : 'keepalived_ipvs';
      gs.ipvsNftablesPriority = -1;
      gs.ipvsNftablesStartFwmark = 1000;
    },
  },
  nftables_ipvs_priority: {
    handler: (c) => {
      const v = c.readInt(1, -2147483648, 2147483647);
      if (v === undefined)
        return c.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `invalid ipvs nftables chain priority '${c.word(1)}'`);
      g(c).ipvsNftablesPriority = v;
    },
  },
  nftables_ipvs_start_fwmark: {
    handler: (c) => {
      const v = c.readUnsigned(1, 1, UINT_MAX);
      if (v === undefined)
        return c.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `invalid ipvs nftables start_fwmark priority '${c.word(1)}'`);
      g(c).ipvsNftablesStartFwmark = v;
    },
  },
  ...rcvBufsKeywords('lvs_netlink_cmd', (c) => g(c).lvsNetlinkCmdRcvBufs),
  ...rcvBufsKeywords('lvs_netlink_monitor', (c) => g(c).lvsNetlinkMonitorRcvBufs),
  rs_init_notifies: globalBool('rs_init_notifies', (c, v) => {
    g(c).rsInitNotifies = v;
  }),
  no_checker_emails: globalBool('no_checker_emails', (c, v) => {
    g(c).noCheckerEmails = v;
  }),
};
