/**
 * `real_server IP [PORT] { … }` inside a virtual_server (keepalived:
 * check_parser.c rs_handler() and the rs_* handlers, check_data.c alloc_rs()).
 * Values written here are kept in `written`; lvs-validate.ts resolves the
 * inheritance from the virtual server.
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { readUnsigned, SKIP, sub, UINT_MAX } from '../engine.js';
import { checkerKeywords } from './checkers.js';
import type { RealServer, RsCtx } from './lvs-model.js';
import {
  applyForwarding,
  copyForwarding,
  optBool,
  portWord,
  readForwarding,
  readSockAddr,
  readTimerLenient,
  usToMs,
  vsgName,
} from './lvs-values.js';
import { readScript } from './script.js';
import type { VsCtx } from './virtual-server.js';

type RsKw = KeywordSpec<RsCtx>;
const IPVS_WEIGHT_LIMIT = 2147483647;

/** keepalived: alloc_rs(). */
function openRs(c: HandlerCtx<VsCtx>): RsCtx | typeof SKIP {
  const { state, vs } = c.target;
  const ip = c.word(1);
  const port = c.words[2];
  const addr = readSockAddr(c, ip, portWord(port));
  if (!addr) {
    c.error(`Invalid real server ip address/port ${ip}/${port ?? '(null)'} - skipping`);
    return SKIP;
  }
  // Field by field, in the order --dump-conf prints: a conditional spread in the
  // middle of an object literal builds every real server on V8's slow path.
  const rs = { addr, loc: c.loc, writtenPort: addr.port, written: {} } as RealServer;
  if (vs.forwarding) rs.forwarding = copyForwarding(vs.forwarding);
  rs.weight = vs.weight;
  rs.uThreshold = 0;
  rs.lThreshold = 0;
  rs.alpha = vs.alpha;
  rs.inhibitOnFailure = vs.inhibitOnFailure;
  rs.delayLoopMs = vs.delayLoopMs;
  rs.connectTimeoutMs = vs.connectTimeoutMs;
  rs.checkers = [];
  vs.realServers.push(rs);
  return { state, vs, rs };
}

/** keepalived: rs_end_handler() — the family must match unless tunnelled. */
function closeRs(c: HandlerCtx<RsCtx>): void {
  const { vs, rs } = c.target;
  if (rs.forwarding?.method === 'TUN') return;
  if (vs.family === undefined) vs.family = rs.addr.family;
  else if (vs.family !== rs.addr.family) {
    c.error(`Address family of virtual server and real server ${rs.addr.address} don't match - skipping real server.`);
    vs.realServers.splice(vs.realServers.indexOf(rs), 1);
  }
}

const timer = (
  min: number,
  what: (v: string) => string,
  field: 'delayBeforeRetryMs' | 'warmupMs' | 'delayLoopMs' | 'connectTimeoutMs',
  max = 0,
): RsKw => ({
  handler: (c) => {
    const us = readTimerLenient(c, 1, min, max);
    if (us === undefined) c.error(what(c.word(1)));
    else c.target.rs.written[field] = usToMs(us);
  },
});

const bool = (what: string, set: (rs: RealServer, b: boolean) => void): RsKw => ({
  handler: (c) => {
    const b = optBool(c, (v) => `Invalid ${what} parameter ${v}`);
    if (b !== undefined) set(c.target.rs, b);
  },
});

const threshold = (field: 'uThreshold' | 'lThreshold', name: string): RsKw => ({
  handler: (c) => {
    const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
    if (v === undefined) c.error(`Invalid real_server ${name} '${c.word(1)}' - ignoring`);
    else c.target.rs[field] = v;
  },
});

const notify = (field: 'notifyUp' | 'notifyDown', name: string): RsKw => ({
  handler: (c) => {
    const { vs, rs, state } = c.target;
    if (rs[field]) {
      c.error(`(${vsgName(vs)}) ${name} script already specified - ignoring ${c.word(1)}`);
      return;
    }
    const s = readScript(c, state, { kind: 'notify', subsystem: 'checker', userFromLine: true });
    if (s) rs[field] = s;
  },
});

export const rsKeywords: Record<string, RsKw> = {
  weight: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 0, IPVS_WEIGHT_LIMIT);
      if (v === undefined) c.error(`Real server weight ${c.word(1)} is outside range 0-${IPVS_WEIGHT_LIMIT}`);
      else c.target.rs.written.weight = v;
    },
  },
  lvs_method: {
    handler: (c) => {
      const rs = c.target.rs;
      const f = applyForwarding(rs.forwarding, readForwarding(c, 'real'));
      if (f) rs.forwarding = f;
    },
  },
  uthreshold: threshold('uThreshold', 'uthreshold'),
  lthreshold: threshold('lThreshold', 'lthreshold'),
  inhibit_on_failure: bool('inhibit_on_failure', (rs, b) => {
    rs.written.inhibitOnFailure = b;
  }),
  notify_up: notify('notifyUp', 'notify_up'),
  notify_down: notify('notifyDown', 'notify_down'),
  alpha: bool('alpha', (rs, b) => {
    rs.written.alpha = b;
  }),
  retry: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 1, 4294967295);
      if (v === undefined) c.error(`retry value invalid - ${c.word(1)}`);
      else c.target.rs.written.retry = v;
    },
  },
  delay_before_retry: timer(0, (v) => `real server delay_before_retry '${v}' invalid - ignoring`, 'delayBeforeRetryMs'),
  warmup: timer(0, (v) => `real server warmup '${v}' invalid - ignoring`, 'warmupMs'),
  connect_timeout: timer(1, (v) => `real server connect_timeout ${v} invalid - ignoring`, 'connectTimeoutMs', UINT_MAX),
  delay_loop: timer(1, (v) => `real server delay_loop '${v}' invalid - ignoring`, 'delayLoopMs'),
  smtp_alert: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid real_server smtp_alert parameter ${v}`);
      if (b !== undefined) c.target.rs.smtpAlertWritten = b;
    },
  },
  virtualhost: {
    handler: (c) => {
      if (!c.has(1)) c.error('real server virtualhost missing');
      else c.target.rs.virtualhost = c.word(1);
    },
  },
  snmp_name: {
    handler: (c) => {
      if (c.words.length !== 2) c.error('real server snmp_name missing or extra parameters');
      else c.target.rs.snmpName = c.word(1);
    },
  },
  ...checkerKeywords,
};

export const realServerKeyword: KeywordSpec<VsCtx> = {
  sub: sub(openRs, { name: 'real_server', keywords: rsKeywords }, closeRs),
};
