/**
 * Checker blocks inside a real_server (keepalived: check_api.c
 * install_checker_common_keywords(), check_tcp.c, check_ping.c, check_misc.c,
 * check_smtp.c, check_dns.c, check_udp.c, check_file.c, check_bfd.c).
 * HTTP_GET/SSL_GET are in checkers-http.ts.
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { readInt, readUnsigned, UINT_MAX } from '../engine.js';
import type { ConnChecker } from './checker-common.js';
import {
  baseChecker,
  checkConnOpts,
  checkerBlock,
  commonConnKeywords,
  dequeue,
  newConn,
  scheduleKeywords,
} from './checker-common.js';
import { httpCheckerKeyword } from './checkers-http.js';
import { smtpCheckerKeyword } from './checkers-smtp.js';
import type {
  BfdChecker,
  Checker,
  CheckerCtx,
  ConnOpts,
  DnsChecker,
  FileChecker,
  MiscChecker,
  RsCtx,
  SmtpChecker,
  UdpChecker,
} from './lvs-model.js';
import { formatTrio, optBool } from './lvs-values.js';
import { lookupUser, readScript } from './script.js';

type Kw<C extends Checker> = KeywordSpec<CheckerCtx<C>>;

const connEnd = (c: HandlerCtx<CheckerCtx<ConnChecker>>): void => {
  if (!checkConnOpts(c, c.target.checker.connection)) dequeue(c.target);
};

const fmtRs = (t: RsCtx): string => formatTrio(t.rs.addr, t.vs.protocol);

const misc: Record<string, Kw<MiscChecker>> = {
  ...scheduleKeywords,
  misc_path: {
    handler: (c) => {
      if (!c.target.queued) return;
      const s = readScript(c, c.target.state, { kind: 'misc_path', subsystem: 'checker', userFromLine: false });
      if (s) c.target.checker.script = s;
    },
  },
  misc_timeout: {
    handler: (c) => {
      if (!c.target.queued) return;
      const v = readUnsigned(c, c.word(1), 0, Math.floor(UINT_MAX / 1_000_000));
      if (v === undefined) c.error(`Invalid misc_timeout value '${c.word(1)}'`);
      else c.target.checker.timeoutMs = v * 1000;
    },
  },
  misc_dynamic: {
    handler: (c) => {
      if (c.target.queued) c.target.checker.dynamic = true;
    },
  },
  user: {
    handler: (c) => {
      const t = c.target;
      if (!t.queued) return;
      const cmd = t.checker.script?.argv.join(' ') ?? '(null)';
      const user = c.word(1);
      if (!c.has(1)) {
        c.error(`No user specified for misc checker script ${cmd}`);
        return;
      }
      const ids = lookupUser(t.state, c.word(1), c.words[2]);
      if (!ids) {
        c.error(`Failed to set uid/gid for misc checker script ${cmd} - removing`);
        dequeue(t);
        return;
      }
      if (t.checker.script) Object.assign(t.checker.script, { user, uid: ids.uid, gid: ids.gid });
    },
  },
};

/** keepalived tests dns_check->name for NULL; an empty name still counts as given. */
const dnsNamed = new WeakSet<DnsChecker>();
const DNS_TYPES = ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'DNSKEY'] as const;

const dns: Record<string, Kw<DnsChecker>> = {
  ...commonConnKeywords,
  type: {
    handler: (c) => {
      const t = DNS_TYPES.find((x) => x === c.word(1).toUpperCase());
      if (!t) c.error(`Unknown DNS check type ${c.word(1)} - ignoring`);
      else c.target.checker.queryType = t;
    },
  },
  name: {
    handler: (c) => {
      const chk = c.target.checker;
      if (dnsNamed.has(chk)) {
        c.error('DNS_CHECK name already specified - ignoring');
        return;
      }
      const name = c.word(1);
      const bad = (name.startsWith('.') && name !== '.') || name.includes('..');
      if (bad) {
        c.error(`DNS_CHECK name '${name}' has empty label - ignoring`);
        return;
      }
      chk.name = name;
      dnsNamed.add(chk);
    },
  },
};

/** keepalived: read_hex_str(); undefined when invalid or empty. */
export function readHex(s: string, wildcards: boolean): { data: number[]; mask: number[] } | undefined {
  const data: number[] = [];
  const mask: number[] = [];
  const val = (ch: string): number => {
    if (/[0-9a-fA-F]/.test(ch)) return Number.parseInt(ch, 16);
    return wildcards && (ch === 'x' || ch === 'X') ? -2 : -1;
  };
  let i = 0;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i >= s.length) break;
    let v = val(s[i++] ?? '');
    if (v === -1) return undefined;
    let m = v === -2 ? 0x0f : 0;
    if (v === -2) v = 0;
    if (i < s.length && s[i] !== ' ') {
      let v2 = val(s[i++] ?? '');
      if (v2 === -1) return undefined;
      m <<= 4;
      if (v2 === -2) {
        m |= 0x0f;
        v2 = 0;
      }
      v = (v << 4) | v2;
    }
    data.push(v);
    mask.push(m);
  }
  return data.length ? { data, mask } : undefined;
}

const udp: Record<string, Kw<UdpChecker>> = {
  ...commonConnKeywords,
  payload: {
    handler: (c) => {
      if (!c.has(1)) {
        c.error('UDP_CHECK payload requires a payload');
        return;
      }
      const h = readHex(c.words.slice(1).join(' '), false);
      if (!h) c.error('Invalid hex string for UDP_CHECK payload');
      else c.target.checker.payload = h.data;
    },
  },
  require_reply: {
    handler: (c) => {
      const chk = c.target.checker;
      chk.requireReply = true;
      if (!c.has(1)) return;
      const h = readHex(c.words.slice(1).join(' '), true);
      if (!h) c.error('Invalid hex string for UDP_CHECK reply');
      else chk.reply = h;
    },
  },
  min_reply_length: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 0, 65535);
      if (v === undefined) c.error(`UDP_CHECK min length ${c.word(1)} not valid - must be between 0 & 65535`);
      else c.target.checker.minReplyLength = v;
    },
  },
  max_reply_length: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 0, 65535);
      if (v === undefined) c.error(`UDP_CHECK max length ${c.word(1)} not valid - must be between 0 & 65535`);
      else c.target.checker.maxReplyLength = v;
    },
  },
};

const IPVS_WEIGHT_LIMIT = 2147483647;
const file: Record<string, Kw<FileChecker>> = {
  track_file: {
    handler: (c) => {
      const name = c.word(1);
      if (!c.target.state.config.trackFiles.has(name)) c.error(`track_file ${name} not found`);
      else c.target.checker.trackFile = name;
    },
  },
  weight: {
    handler: (c) => {
      if (!c.has(1)) {
        c.error('track file weight missing');
        return;
      }
      const w = readInt(c, c.word(1), -IPVS_WEIGHT_LIMIT, IPVS_WEIGHT_LIMIT);
      if (w === undefined) {
        c.error(`weight for track file must be in [${-IPVS_WEIGHT_LIMIT}..${IPVS_WEIGHT_LIMIT}] inclusive. Ignoring...`);
        return;
      }
      let reverse = false;
      const o = c.words[2];
      if (o !== undefined) {
        if (o === 'reverse') reverse = true;
        else if (o !== 'noreverse') {
          c.error(`unknown track file weight option ${o} - ignoring`);
          return;
        }
      }
      c.target.checker.weight = w;
      c.target.checker.reverse = reverse;
    },
  },
};

const bfd: Record<string, Kw<BfdChecker>> = {
  name: {
    handler: (c) => {
      const t = c.target;
      if (!t.queued) return;
      const name = c.words[1];
      let bad = true;
      if (c.words.length !== 2 || name === undefined)
        c.error(`(${fmtRs(t)}) BFD_CHECK - No or too many names specified - skipping checker`);
      else if (!t.state.config.lvs.checkerBfds.has(name)) c.error(`(${fmtRs(t)}) BFD_CHECK - BFD ${name} not configured`);
      else if (t.checker.name !== undefined)
        c.error(`(${fmtRs(t)}) BFD_CHECK - BFD ${name} already specified as ${t.checker.name}`);
      else if (t.rs.checkers.some((k) => k.type === 'BFD_CHECK' && k !== t.checker && k.name === name))
        c.error(`(${fmtRs(t)}) BFD_CHECK - RS already monitoring ${name}`);
      else bad = false;
      if (bad || name === undefined) dequeue(t);
      else t.checker.name = name;
    },
  },
  alpha: {
    handler: (c) => {
      if (!c.target.queued) return;
      const b = optBool(c, (v) => `Invalid alpha parameter ${v}`);
      if (b !== undefined) c.target.checker.written.alpha = b;
    },
  },
};

export const checkerKeywords: Record<string, KeywordSpec<RsCtx>> = {
  HTTP_GET: httpCheckerKeyword('HTTP_GET'),
  SSL_GET: httpCheckerKeyword('SSL_GET'),
  TCP_CHECK: checkerBlock('TCP_CHECK', (c) => ({ ...baseChecker(c), type: 'TCP_CHECK', connection: newConn(c.target) }), commonConnKeywords, connEnd),
  PING_CHECK: checkerBlock('PING_CHECK', (c) => ({ ...baseChecker(c), type: 'PING_CHECK', connection: newConn(c.target) }), commonConnKeywords, connEnd),
  MISC_CHECK: checkerBlock<MiscChecker>(
    'MISC_CHECK',
    (c) => ({ ...baseChecker(c), type: 'MISC_CHECK', retry: 0, timeoutMs: 0, dynamic: false }),
    misc,
    (c) => {
      if (!c.target.queued) return;
      if (!c.target.checker.script) {
        c.error('No script path has been specified for MISC_CHECKER - skipping');
        dequeue(c.target);
      }
    },
  ),
  SMTP_CHECK: smtpCheckerKeyword,
  DNS_CHECK: checkerBlock<DnsChecker>(
    'DNS_CHECK',
    (c) => ({ ...baseChecker(c), type: 'DNS_CHECK', connection: newConn(c.target), queryType: 'SOA', name: '', retry: 3 }),
    dns,
    connEnd,
  ),
  UDP_CHECK: checkerBlock<UdpChecker>(
    'UDP_CHECK',
    (c) => ({
      ...baseChecker(c),
      type: 'UDP_CHECK',
      connection: newConn(c.target),
      requireReply: false,
      minReplyLength: 0,
      maxReplyLength: 255,
    }),
    udp,
    (c) => {
      const chk = c.target.checker;
      if (!checkConnOpts(c, chk.connection)) {
        dequeue(c.target);
        return;
      }
      if (chk.minReplyLength > chk.maxReplyLength)
        c.error(`UDP_CHECK min_reply length ${chk.minReplyLength} > max_reply_length ${chk.maxReplyLength} - will always fail`);
    },
  ),
  FILE_CHECK: checkerBlock<FileChecker>('FILE_CHECK', (c) => ({ ...baseChecker(c), type: 'FILE_CHECK', reverse: false }), file, (c) => {
    const chk = c.target.checker;
    const tf = chk.trackFile === undefined ? undefined : c.target.state.config.trackFiles.get(chk.trackFile);
    if (!tf) {
      c.error('FILE_CHECK has no track_file specified - ignoring');
      dequeue(c.target);
      return;
    }
    if (chk.weight === undefined) {
      chk.weight = tf.weight;
      chk.reverse = tf.reverse;
    }
  }),
  BFD_CHECK: checkerBlock<BfdChecker>('BFD_CHECK', (c) => ({ ...baseChecker(c), type: 'BFD_CHECK' }), bfd, (c) => {
    const t = c.target;
    if (!t.queued) return;
    if (t.checker.name === undefined) {
      c.error(`(${fmtRs(t)}) No name has been specified for BFD_CHECKER - skipping`);
      dequeue(t);
    }
  }),
};
