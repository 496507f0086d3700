/**
 * The checker pass's top-level keywords (keepalived: check_parser.c
 * init_check_keywords()): `SSL`, `virtual_server_group` and `virtual_server`
 * with its own keywords. Real servers are in real-server.ts, checkers in
 * checkers*.ts, groups in vs-group.ts, post-parse validation in lvs-validate.ts.
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { readUnsigned, SKIP, sub, UINT_MAX } from '../engine.js';
import type { BuildState } from '../model.js';
import type { LvsSection, Protocol, SslContext, VirtualServer, VsFlags, VsKey } from './lvs-model.js';
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
import { realServerKeyword } from './real-server.js';
import { readScript } from './script.js';
import { vsGroupHandler } from './vs-group.js';

export type * from './lvs-model.js';
export { validateLvs } from './lvs-validate.js';

export function createLvsSection(): LvsSection {
  return { virtualServerGroups: [], virtualServers: [], checkerBfds: new Set() };
}

export interface VsCtx {
  readonly state: BuildState;
  readonly vs: VirtualServer;
}
type VsKw = KeywordSpec<VsCtx>;

const IPVS_WEIGHT_LIMIT = 2147483647;
const LVS_MAX_TIMEOUT = 86400 * 31;
export const IPVS_SVC_PERSISTENT_TIMEOUT = 6 * 60;
const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'];

const noFlags = (): VsFlags => ({
  ops: false,
  flag1: false,
  flag2: false,
  flag3: false,
  shPort: false,
  shFallback: false,
  mhPort: false,
  mhFallback: false,
});

/** keepalived: alloc_vs(). */
function openVs(c: HandlerCtx<BuildState>): VsCtx | typeof SKIP {
  const state = c.target;
  const p1 = c.word(1);
  const p2 = c.words[2];
  let key: VsKey;
  if (p1 === 'group') key = { kind: 'group', name: p2 ?? '' };
  else if (p1 === 'fwmark') {
    const fwmark = readUnsigned(c, c.word(2), 0, UINT_MAX);
    if (fwmark === undefined) {
      c.error(`virtual server fwmark '${c.word(2)}' must be in [0, ${UINT_MAX}] - ignoring`);
      return SKIP;
    }
    key = { kind: 'fwmark', fwmark };
  } else {
    const port = portWord(p2);
    const addr = readSockAddr(c, p1, port);
    if (!addr) {
      const pp = port === undefined ? '' : `/${port}`;
      c.error(`Invalid virtual server IP address${port === undefined ? '' : '/port'} ${p1}${pp} - skipping`);
      return SKIP;
    }
    key = { kind: 'address', addr };
  }
  const vs: VirtualServer = {
    key,
    loc: c.loc,
    // No conditional spread: it builds every virtual server on V8's slow path.
    family: key.kind === 'address' ? key.addr.family : undefined,
    flags: noFlags(),
    persistenceTimeoutS: 0,
    haSuspend: false,
    alpha: false,
    omega: false,
    inhibitOnFailure: false,
    quorum: 1,
    hysteresis: 0,
    weight: 1,
    delayLoopMs: 60_000,
    connectTimeoutMs: 5_000,
    realServers: [],
  };
  state.config.lvs.virtualServers.push(vs);
  return { state, vs };
}

/** keepalived: vs_end_handler() — the family from the sorry/real servers. */
function closeVs(c: HandlerCtx<VsCtx>): void {
  const vs = c.target.vs;
  const ss = vs.sorryServer;
  if (ss && ss.forwarding?.method !== 'TUN') {
    if (vs.family === undefined) vs.family = ss.addr.family;
    else if (vs.family !== ss.addr.family) {
      c.error(`Address family of virtual server and sorry server ${ss.addr.address} don't match - skipping sorry server.`);
      delete vs.sorryServer;
    }
  }
  if (vs.family === undefined && vs.key.kind !== 'group') {
    let fam = vs.sorryServer?.addr.family;
    let mixed = false;
    for (const rs of vs.realServers) {
      if (fam === undefined) fam = rs.addr.family;
      else if (fam !== rs.addr.family) {
        mixed = true;
        break;
      }
    }
    vs.family = mixed || fam === undefined ? 'inet' : fam;
  }
}

const timer =
  (min: number, what: (v: string) => string, set: (vs: VirtualServer, ms: number) => void, max = 0): VsKw => ({
    handler: (c) => {
      const us = readTimerLenient(c, 1, min, max);
      if (us === undefined) c.error(what(c.word(1)));
      else set(c.target.vs, usToMs(us));
    },
  });

/** keepalived: lbflags_handler(). */
const lbFlag = (flag: keyof VsFlags | 'hashed'): VsKw => ({
  handler: (c) => {
    const vs = c.target.vs;
    if (flag === 'ops' || flag === 'flag1' || flag === 'flag2' || flag === 'flag3') vs.flags[flag] = true;
    else if (vs.scheduler === 'sh') {
      if (flag === 'shPort' || flag === 'shFallback') vs.flags[flag] = true;
    } else if (vs.scheduler === 'mh') {
      if (flag === 'mhPort' || flag === 'mhFallback') vs.flags[flag] = true;
    } else c.error(`${c.keyword} only applies to sh scheduler - ignoring`);
  },
});

const sched: VsKw = {
  handler: (c) => {
    const s = c.word(1);
    if (!SCHEDULERS.includes(s)) c.error(`Invalid lvs_scheduler '${s}' - ignoring`);
    else c.target.vs.scheduler = s;
  },
};

const vsForwarding: VsKw = {
  handler: (c) => {
    const vs = c.target.vs;
    const f = applyForwarding(vs.forwarding, readForwarding(c, 'virtual'));
    if (f) vs.forwarding = f;
  },
};

const flagKw = (set: (vs: VirtualServer) => void): VsKw => ({ handler: (c) => set(c.target.vs) });

const quorumScript = (which: 'quorumUp' | 'quorumDown', name: string): VsKw => ({
  handler: (c) => {
    const vs = c.target.vs;
    if (vs[which]) {
      c.error(`(${vsgName(vs)}) ${name} script already specified - ignoring ${c.word(1)}`);
      return;
    }
    const s = readScript(c, c.target.state, { kind: 'quorum', subsystem: 'checker', userFromLine: true });
    if (s) vs[which] = s;
  },
});


/** keepalived: pgr_handler(). */
const persistenceGranularity: VsKw = {
  handler: (c) => {
    const vs = c.target.vs;
    const s = c.word(1);
    const fam = vs.family ?? (s.includes('.') ? 'inet' : 'inet6');
    if (fam === 'inet6') {
      const v = readUnsigned(c, s, 1, 128);
      if (v === undefined) {
        c.error(`Invalid IPv6 persistence_granularity specified - ${s}`);
        return;
      }
      vs.persistenceGranularity = v;
    } else {
      // getaddrinfo(AI_NUMERICHOST) takes inet_aton() forms
      const part = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$/;
      const parts = s.split('.');
      if (parts.length > 4 || !parts.every((p) => part.test(p))) {
        c.error(`Invalid IPv4 persistence_granularity specified - ${s}`);
        return;
      }
      vs.persistenceGranularity = s;
    }
    vs.family ??= fam;
    if (!vs.persistenceTimeoutS) vs.persistenceTimeoutS = IPVS_SVC_PERSISTENT_TIMEOUT;
  },
};

export const vsKeywords: Record<string, VsKw> = {
  ip_family: {
    handler: (c) => {
      const vs = c.target.vs;
      const s = c.word(1);
      if (s !== 'inet' && s !== 'inet6') {
        c.error(`unknown address family ${s}`);
        return;
      }
      if (vs.family !== undefined && vs.family !== s) {
        c.error(`Virtual server specified family ${s} conflicts with server family`);
        return;
      }
      vs.family = s;
    },
  },
  retry: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 1, 4294967295);
      if (v === undefined) c.error(`retry value invalid - ${c.word(1)}`);
      else c.target.vs.retry = v;
    },
  },
  delay_before_retry: timer(0, (v) => `virtual server delay before retry '${v}' invalid - ignoring`, (vs, ms) => {
    vs.delayBeforeRetryMs = ms;
  }),
  warmup: timer(0, (v) => `virtual server warmup '${v}' invalid - ignoring`, (vs, ms) => {
    vs.warmupMs = ms;
  }),
  connect_timeout: timer(
    1,
    (v) => `virtual server connect_timeout ${v} invalid - ignoring`,
    (vs, ms) => {
      vs.connectTimeoutMs = ms;
    },
    UINT_MAX,
  ),
  delay_loop: timer(1, (v) => `virtual server delay loop '${v}' invalid - ignoring`, (vs, ms) => {
    vs.delayLoopMs = ms;
  }),
  inhibit_on_failure: flagKw((vs) => {
    vs.inhibitOnFailure = true;
  }),
  lb_algo: sched,
  lvs_sched: sched,
  hashed: lbFlag('hashed'),
  ops: lbFlag('ops'),
  'flag-1': lbFlag('flag1'),
  'flag-2': lbFlag('flag2'),
  'flag-3': lbFlag('flag3'),
  'sh-port': lbFlag('shPort'),
  'sh-fallback': lbFlag('shFallback'),
  'mh-port': lbFlag('mhPort'),
  'mh-fallback': lbFlag('mhFallback'),
  lb_kind: vsForwarding,
  lvs_method: vsForwarding,
  persistence_engine: {
    handler: (c) => {
      const s = c.word(1);
      // keepalived: pe_name is IP_VS_PENAME_MAXLEN (16) bytes
      if (s.length > 15) c.error(`persistence_name too long, truncating - ${s}`);
      c.target.vs.persistenceEngine = s.slice(0, 15);
    },
  },
  persistence_timeout: {
    handler: (c) => {
      const vs = c.target.vs;
      if (!c.has(1)) {
        vs.persistenceTimeoutS = IPVS_SVC_PERSISTENT_TIMEOUT;
        return;
      }
      const v = readUnsigned(c, c.word(1), 1, LVS_MAX_TIMEOUT);
      if (v === undefined) c.error('persistence_timeout invalid');
      else vs.persistenceTimeoutS = v;
    },
  },
  persistence_granularity: persistenceGranularity,
  protocol: {
    handler: (c) => {
      const s = c.word(1);
      const p = s.toUpperCase();
      if (p === 'TCP' || p === 'UDP' || p === 'SCTP') c.target.vs.protocol = p satisfies Protocol;
      else c.error(`Unknown protocol ${s} - ignoring`);
    },
  },
  ha_suspend: flagKw((vs) => {
    vs.haSuspend = true;
  }),
  smtp_alert: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid virtual_server smtp_alert parameter ${v}`);
      if (b !== undefined) c.target.vs.smtpAlert = b;
    },
  },
  virtualhost: {
    handler: (c) => {
      if (!c.has(1)) c.error('virtual server virtualhost missing');
      else c.target.vs.virtualhost = c.word(1);
    },
  },
  snmp_name: {
    handler: (c) => {
      if (c.words.length !== 2) c.error('virtual server snmp_name missing or extra parameters');
      else c.target.vs.snmpName = c.word(1);
    },
  },
  alpha: flagKw((vs) => {
    vs.alpha = true;
  }),
  omega: flagKw((vs) => {
    vs.omega = true;
  }),
  quorum_up: quorumScript('quorumUp', 'quorum_up'),
  quorum_down: quorumScript('quorumDown', 'quorum_down'),
  quorum: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 1, UINT_MAX);
      if (v === undefined) c.error(`Quorum ${c.word(1)} must be in [1, ${UINT_MAX}]. Setting to 1.`);
      c.target.vs.quorum = v ?? 1;
    },
  },
  hysteresis: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
      if (v === undefined) c.error(`Hysteresis ${c.word(1)} must be in [0, ${UINT_MAX}] - ignoring`);
      else c.target.vs.hysteresis = v;
    },
  },
  weight: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 1, IPVS_WEIGHT_LIMIT);
      if (v === undefined) c.error(`Virtual server weight ${c.word(1)} is outside range 1-${IPVS_WEIGHT_LIMIT}`);
      else c.target.vs.weight = v;
    },
  },
  sorry_server: {
    handler: (c) => {
      const vs = c.target.vs;
      const addr = readSockAddr(c, c.word(1), portWord(c.words[2]));
      if (!addr) {
        c.error(`Invalid sorry server IP address ${c.word(1)} - skipping`);
        return;
      }
      vs.sorryServer = { addr, inhibit: false, ...(vs.forwarding ? { forwarding: copyForwarding(vs.forwarding) } : {}) };
    },
  },
  sorry_server_inhibit: {
    handler: (c) => {
      const ss = c.target.vs.sorryServer;
      if (ss) ss.inhibit = true;
      else c.error('Ignoring sorry_server inhibit used before or without sorry_server');
    },
  },
  sorry_server_lvs_method: {
    handler: (c) => {
      const ss = c.target.vs.sorryServer;
      if (!ss) {
        c.error('sorry_server forwarding used without sorry_server');
        return;
      }
      const f = applyForwarding(ss.forwarding, readForwarding(c, 'sorry'));
      if (f) ss.forwarding = f;
    },
  },
  real_server: realServerKeyword,
};

/** keepalived: ssl_handler(), handle_ssl_file(). */
const sslFile = (field: keyof SslContext, what: string): KeywordSpec<SslContext> => ({
  handler: (c) => {
    if (!c.has(1)) {
      c.error(`SSL ${what} missing`);
      return;
    }
    if (c.target[field] !== undefined) c.error(`SSL ${what} already specified - replacing`);
    c.target[field] = c.word(1);
  },
});

export const checkerRootKeywords: Record<string, KeywordSpec<BuildState>> = {
  SSL: {
    passes: ['checker'],
    sub: sub(
      (c: HandlerCtx<BuildState>) => {
        const lvs = c.target.config.lvs;
        if (lvs.ssl) c.error('SSL context already specified - replacing');
        const ssl: SslContext = {};
        lvs.ssl = ssl;
        return ssl;
      },
      {
        name: 'SSL',
        keywords: {
          password: sslFile('password', 'password'),
          ca: sslFile('ca', 'cafile'),
          certificate: sslFile('certificate', 'certfile'),
          key: sslFile('key', 'keyfile'),
        },
      },
    ),
  },
  virtual_server_group: { passes: ['checker'], handler: vsGroupHandler },
  virtual_server: {
    passes: ['checker'],
    sub: sub(openVs, { name: 'virtual_server', keywords: vsKeywords }, closeVs),
  },
};
