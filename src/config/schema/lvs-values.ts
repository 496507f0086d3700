/**
 * Value readers shared by the checker-pass tables: addresses the way
 * keepalived's inet_stosockaddr() reads them, the lenient timer reader, the
 * forwarding-method parser and keepalived's address formatting for messages.
 */
import type { HandlerCtx } from '../engine.js';
import { readDecimal, readUnsigned, TIMER_MAXIMUM_US } from '../engine.js';
import type { VirtualServer } from './lvs-model.js';
import { pton4, pton6 } from '../../lib/ip-address.js';

export type IpFamily = 'inet' | 'inet6';

/** An address with a port (0 = none), as keepalived's sockaddr_t. */
export interface SockAddr {
  family: IpFamily;
  /** inet_ntop() text. */
  address: string;
  port: number;
}

export interface IpBytes {
  readonly family: IpFamily;
  readonly bytes: readonly number[];
}

/** inet_pton with keepalived's family choice: a ':' means IPv6. */
export function parseIp(s: string): IpBytes | undefined {
  const family: IpFamily = s.includes(':') ? 'inet6' : 'inet';
  const bytes = family === 'inet' ? pton4(s) : pton6(s);
  return bytes ? { family, bytes } : undefined;
}

/** glibc inet_ntop(). */
export function formatIp(ip: IpBytes): string {
  const b = ip.bytes;
  if (ip.family === 'inet') return b.join('.');
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = { ...cur };
    } else cur = { base: -1, len: 0 };
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 7 && w[7] !== 1) || (best.len === 5 && w[5] === 0xffff))) {
      out += b.slice(12).join('.');
      break;
    }
    out += (w[i] ?? 0).toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/** Exactly what pton4() accepts: four decimal octets, no leading zeros, each at most 255. */
function isDottedQuad(s: string): boolean {
  let parts = 0;
  let i = 0;
  const n = s.length;
  while (parts < 4) {
    const start = i;
    let v = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (parts < 4) {
      if (s.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  return i === n;
}

/** keepalived: a port written as all zeros (or empty) means "no port". */
export function portWord(port: string | undefined): string | undefined {
  return port !== undefined && /[^0]/.test(port) ? port : undefined;
}

/**
 * keepalived: inet_stosockaddr() — family from ':', the port read first
 * (1..65535, reported), anything from the first '-' or '/' dropped.
 */
export function readSockAddr(c: HandlerCtx<unknown>, ip: string, port: string | undefined): SockAddr | undefined {
  let portNum = 0;
  if (port !== undefined) {
    const p = readUnsigned(c, port, 1, 65535);
    if (p === undefined) return undefined;
    portNum = p;
  }
  // inet_ntop() of a dotted quad as glibc accepts it is the text itself.
  if (isDottedQuad(ip)) return { family: 'inet', address: ip, port: portNum };
  const cut = ip.search(/[-/]/);
  const parsed = parseIp(cut >= 0 ? ip.slice(0, cut) : ip);
  if (!parsed || parsed.family !== (ip.includes(':') ? 'inet6' : 'inet')) return undefined;
  return { family: parsed.family, address: formatIp(parsed), port: portNum };
}

/** keepalived: inet_sockaddrtotrio() — `[addr]:proto:port`. */
export function formatTrio(a: SockAddr, protocol: string | undefined): string {
  return `[${a.address}]:${protocol ? protocol.toLowerCase() : 'none'}:${a.port}`;
}

/**
 * keepalived: read_timer() with ignore_error set. Under `-t` a value with
 * trailing junk is reported but still taken, read from its digit prefix in
 * micro-units (read_decimal_unsigned_long_func() pads zeros after the junk):
 * `delay_loop 6s` is 6 µs. Returns µs.
 */
export function readTimerLenient(c: HandlerCtx<unknown>, i: number, minUs: number, maxUs = 0): number | undefined {
  const s = c.word(i);
  const max = maxUs || TIMER_MAXIMUM_US;
  const v = readDecimal(c, s, minUs, max, 6);
  if (v !== undefined || s.startsWith('-')) return v;
  const dp = s.indexOf('.');
  const places = Math.min(dp >= 0 ? s.length - dp - 1 : 0, 6);
  let digits = dp >= 0 ? s.slice(0, dp) + s.slice(dp + 1, dp + 1 + places) : s;
  digits += '0'.repeat(6 - places);
  if (/^[ \t]*\+?[0-9]+$/.test(digits)) return undefined; // a range error: rejected
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)/.exec(digits);
  let val = m?.[1] ? Number(m[1]) : 0;
  if (dp >= 0 && s.length - dp - 1 > 6 && (s[dp + 7] ?? '0') >= '5') val++;
  return val >= minUs && val <= max ? val : undefined;
}

/**
 * µs → ms. A whole result is returned as an int32 so that V8 keeps the model's
 * timer fields in small-integer form: a double in one checker's field would
 * re-shape (migrate) every checker made before it.
 */
export const usToMs = (us: number): number => {
  const ms = us / 1000;
  const i = ms | 0;
  return i === ms ? i : ms;
};

export type ForwardingMethod = 'NAT' | 'DR' | 'TUN';
export type TunnelType = 'ipip' | 'gue' | 'gre';
export type TunnelCsum = 'nocsum' | 'csum' | 'remcsum';

export interface Forwarding {
  method: ForwardingMethod;
  tunnelType: TunnelType;
  /** gue only; 0 otherwise. */
  tunnelPort: number;
  tunnelCsum: TunnelCsum;
}

export const defaultTunnel = { tunnelType: 'ipip', tunnelPort: 0, tunnelCsum: 'nocsum' } as const;

/**
 * keepalived: svr_forwarding_handler(). Returns the new forwarding, or
 * `{ method }` only when the method was read but the tunnel options were bad
 * (keepalived then keeps the method and the old tunnel settings).
 */
export function readForwarding(
  c: HandlerCtx<unknown>,
  who: 'virtual' | 'real' | 'sorry',
): Forwarding | { method: ForwardingMethod } | undefined {
  const str = c.word(1);
  if (str !== 'NAT' && str !== 'DR' && str !== 'TUN') {
    c.error(`PARSER : unknown [${str}] routing method for ${who} server.`);
    return undefined;
  }
  let tunnelType: TunnelType = 'ipip';
  let port = 0;
  let csum: TunnelCsum = 'nocsum';
  const w = c.words;
  const fail = (msg: string): { method: ForwardingMethod } => {
    c.error(msg);
    return { method: str };
  };
  for (let i = 2; i < w.length; i++) {
    const o = w[i] ?? '';
    if (o === 'type') {
      const t = w[i + 1];
      if (t === undefined) return fail(`Missing tunnel type for ${who} server.`);
      if (t !== 'ipip' && t !== 'gue' && t !== 'gre') return fail(`Unknown tunnel type ${t} for ${who} server.`);
      tunnelType = t;
      i++;
    } else if (o === 'port') {
      const p = w[i + 1];
      if (p === undefined) return fail(`Missing port for ${who} server gue tunnel.`);
      const v = readUnsigned(c, p, 1, 65535);
      if (v === undefined) return fail(`Invalid gue tunnel port ${p} for ${who} server.`);
      port = v;
      i++;
    } else if (o === 'nocsum' || o === 'csum' || o === 'remcsum') csum = o;
    else return fail(`Invalid tunnel option ${o} for ${who} server.`);
  }
  if ((tunnelType === 'gue') !== (port !== 0)) return fail('gue tunnels require port, otherwise cannot have port.');
  if (tunnelType === 'ipip' && csum !== 'nocsum') return fail('ipip tunnels do not support checksum option.');
  if (tunnelType === 'gre' && csum === 'remcsum') return fail('gre tunnels do not support remote checksum option.');
  return makeForwarding(str, tunnelType, port, csum);
}

/**
 * A forwarding record, always built with the same fields in the same order: an
 * object spread makes a new hidden class per source shape and V8 then re-shapes
 * every real server's forwarding as it goes.
 */
export function makeForwarding(
  method: ForwardingMethod,
  tunnelType: TunnelType,
  tunnelPort: number,
  tunnelCsum: TunnelCsum,
): Forwarding {
  return { method, tunnelType, tunnelPort, tunnelCsum };
}

export const copyForwarding = (f: Forwarding): Forwarding =>
  makeForwarding(f.method, f.tunnelType, f.tunnelPort, f.tunnelCsum);

/** Applies readForwarding()'s result onto a holder's forwarding. */
export function applyForwarding(
  prev: Forwarding | undefined,
  r: Forwarding | { method: ForwardingMethod } | undefined,
): Forwarding | undefined {
  if (!r) return prev;
  // Only the method was read (bad tunnel options): keep the old tunnel settings.
  const t = 'tunnelType' in r ? r : (prev ?? defaultTunnel);
  return makeForwarding(r.method, t.tunnelType, t.tunnelPort, t.tunnelCsum);
}

/** Optional boolean with keepalived's "Invalid X parameter Y" message. */
export function optBool(c: HandlerCtx<unknown>, message: (v: string) => string): boolean | undefined {
  return c.optBool(1, message(c.words[1] ?? ''));
}

/** keepalived prints vs->vsgname, which is NULL ("(null)") unless `virtual_server group`. */
export const vsgName = (vs: VirtualServer): string => (vs.key.kind === 'group' ? vs.key.name : '(null)');
