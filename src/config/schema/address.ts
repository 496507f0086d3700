/**
 * Address lines of value blocks: VIPs, eVIPs and static_ipaddress
 * (keepalived: vrrp_ipaddress.c alloc_ipaddress(), parse_ipaddress()) and the
 * plain address reader (lib/utils.c inet_stosockaddr()). No node:net here:
 * the reader stays pure, so inet_pton() is re-done below.
 */
import type { HandlerCtx } from '../engine.js';
import { readUnsigned } from '../engine.js';
import type { BuildState } from '../model.js';
import { pton4, pton6 } from '../../lib/ip-address.js';
import { ifGet } from './vrrp-common.js';

export type Family = 'inet' | 'inet6';

export interface IpAddress {
  /** The address as written, without prefix. */
  address: string;
  family: Family;
  prefix: number;
  dev?: string;
  scope?: number;
  /** Broadcast address, or '+'/'-' resolved to an address. */
  broadcast?: string;
  label?: string;
  peer?: string;
  home: boolean;
  noDad: boolean;
  mngtmpaddr: boolean;
  noPrefixRoute: boolean;
  autojoin: boolean;
  noTrack: boolean;
  /** Seconds; 0xffffffff = forever. Unset for IPv4. */
  preferredLft?: number;
  useVmac: boolean;
  trackGroup?: string;
}

/** glibc inet_pton(AF_INET). */
export function isIpv4(s: string): boolean {
  return pton4(s) !== undefined;
}

/** glibc inet_pton(AF_INET6). */
export function isIpv6(s: string): boolean {
  return pton6(s) !== undefined;
}

/** inet_pton with the family chosen by the presence of ':' (keepalived's rule). */
export function familyOf(s: string): Family | undefined {
  if (s.includes(':')) return isIpv6(s) ? 'inet6' : undefined;
  return isIpv4(s) ? 'inet' : undefined;
}

/** keepalived: inet_stosockaddr() — text after '/' or '-' is dropped; no hostnames. */
export function parseSockAddr(s: string): { address: string; family: Family } | undefined {
  let a = s;
  if (a.startsWith('[')) a = a.slice(1).replace(/\].*$/, '');
  const cut = a.search(/[/-]/);
  if (cut >= 0) a = a.slice(0, cut);
  const family = familyOf(a);
  return family ? { address: a, family } : undefined;
}

export function isIpv6LinkLocal(a: string): boolean {
  return /^fe[89ab][0-9a-f]?:/i.test(a);
}

export function isMulticast(a: string, family: Family): boolean {
  if (family === 'inet') {
    const first = Number(a.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return /^ff[0-9a-f]2:/i.test(a); // IN6_IS_ADDR_MC_LINKLOCAL
}

/** keepalived: find_rttables_scope() without /etc/iproute2 extras. */
const SCOPES: Readonly<Record<string, number>> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };
export function parseScope(s: string): number | undefined {
  if (Object.hasOwn(SCOPES, s)) return SCOPES[s];
  if (/^[0-9]+$/.test(s) && Number(s) <= 255) return Number(s);
  return undefined;
}

/** keepalived: parse_ipaddress() — ADDR[/PREFIX]; reports and returns undefined when invalid. */
export function parseIpPrefix(
  c: Pick<HandlerCtx<unknown>, 'report' | 'error'>,
  str: string,
  allowPrefix: boolean,
): { address: string; family: Family; prefix: number } | undefined {
  const family: Family = str.includes(':') ? 'inet6' : 'inet';
  const max = family === 'inet6' ? 128 : 32;
  let prefix = max;
  let addr = str;
  const slash = allowPrefix ? str.indexOf('/') : -1;
  if (slash >= 0) {
    const p = str.slice(slash + 1);
    const v = readUnsigned(c, p, 0, max);
    if (v === undefined) c.error(`Invalid address prefix len ${p} for address ${str} - using ${max}`);
    else prefix = v;
    addr = str.slice(0, slash);
  }
  if (!(family === 'inet6' ? isIpv6(addr) : isIpv4(addr))) {
    c.error(`VRRP parsed invalid IP ${str}. skipping IP...`);
    return undefined;
  }
  return { address: addr, family, prefix };
}

const FLAGS: Readonly<Record<string, 'home' | 'noDad' | 'mngtmpaddr' | 'noPrefixRoute' | 'autojoin' | 'noTrack'>> = {
  home: 'home',
  '-nodad': 'noDad',
  mngtmpaddr: 'mngtmpaddr',
  noprefixroute: 'noPrefixRoute',
  autojoin: 'autojoin',
  no_track: 'noTrack',
};

const INFINITY_LIFE_TIME = 0xffffffff;

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * keepalived: alloc_ipaddress(). `c` is the context of the value-block line.
 * Returns undefined when keepalived drops the address.
 */
export function parseAddressLine(c: HandlerCtx<unknown>, state: BuildState, isStatic: boolean): IpAddress | undefined {
  const w = c.words;
  const first = w[0] ?? '';
  const p = parseIpPrefix(c, first, true);
  if (!p) return undefined;
  const a: IpAddress = {
    address: p.address,
    family: p.family,
    prefix: p.prefix,
    home: false,
    noDad: false,
    mngtmpaddr: false,
    noPrefixRoute: false,
    autojoin: false,
    noTrack: false,
    useVmac: false,
  };
  let brd: '+' | '-' | undefined;
  let haveBroadcast = false;
  let preferredSet = false;
  let missing: string | undefined;
  for (let i = 1; i < w.length; i++) {
    const str = w[i] ?? '';
    const avail = i + 1 < w.length;
    const needsParam = ['dev', 'scope', 'broadcast', 'brd', 'label', 'peer', 'preferred_lft'].includes(str) ||
      (isStatic && str === 'track_group');
    if (needsParam && !avail) {
      missing = str;
      break;
    }
    const val = w[i + 1] ?? '';
    if (str === 'dev') {
      if (a.dev !== undefined) {
        c.error(`Cannot specify ipaddress device more than once for ${first}`);
        return undefined;
      }
      i++;
      if (!ifGet(state, val)) {
        c.error(`WARNING - interface ${val} for ip address ${first} doesn't exist`, { host: true });
        return undefined;
      }
      a.dev = val;
    } else if (str === 'scope') {
      i++;
      const s = parseScope(val);
      if (s === undefined) c.error(`Invalid scope '${val}' specified for ${first} - ignoring`);
      else a.scope = s;
    } else if (str === 'broadcast' || str === 'brd') {
      if (a.family === 'inet6') {
        c.error(`VRRP is trying to assign a broadcast ${str} to the IPv6 address ${first} !!?? WTF... skipping VIP...`);
        return undefined;
      }
      haveBroadcast = true;
      i++;
      if (val === '-' || val === '+') brd = val;
      else if (isIpv4(val)) a.broadcast = val;
      else {
        c.error(`VRRP is trying to assign invalid broadcast ${val}. skipping VIP...`);
        return undefined;
      }
    } else if (str === 'label') {
      i++;
      if (val.length >= 16) {
        c.error(`Address label ${val} is longer than maximum length 15 - removing address`);
        return undefined;
      }
      a.label = val;
    } else if (str === 'peer') {
      i++;
      if (a.peer !== undefined) {
        c.error(`Peer ${val} - another peer has already been specified`);
        continue;
      }
      const fam: Family = val.includes(':') ? 'inet6' : 'inet';
      if (!(fam === 'inet6' ? isIpv6(val) : isIpv4(val))) {
        c.error(`VRRP parsed invalid IP ${val}. skipping IP...`);
        c.error(`Invalid peer address ${val}`);
      } else if (fam !== a.family) c.error(`Peer address ${val} does not match address family`);
      else {
        if (a.prefix !== (a.family === 'inet6' ? 128 : 32))
          c.error('Cannot specify address prefix when specifying peer address - ignoring');
        a.peer = val;
        a.prefix = a.family === 'inet6' ? 128 : 32;
      }
    } else if (Object.hasOwn(FLAGS, str)) {
      const f = FLAGS[str];
      if (f) a[f] = true;
    } else if (str === 'preferred_lft') {
      i++;
      if (val === 'forever') {
        a.preferredLft = INFINITY_LIFE_TIME;
        preferredSet = true;
      } else {
        const v = readUnsigned(c, val, 0, INFINITY_LIFE_TIME);
        if (v === undefined) c.error(`preferred_lft ${val} is invalid`);
        else {
          a.preferredLft = v;
          preferredSet = true;
        }
      }
    } else if (isStatic && str === 'track_group') {
      i++;
      if (a.trackGroup !== undefined) {
        c.error(`track_group ${val} is a duplicate`);
        break;
      }
      if (state.config.vrrp.trackGroups.some((g) => g.name === val)) a.trackGroup = val;
      else c.error(`track_group ${val} not found`);
    } else if (!isStatic && str === 'use_vmac') {
      a.useVmac = true;
    } else {
      c.error(`Unknown configuration entry '${str}' for ip address - ignoring`);
    }
  }
  if (missing !== undefined) {
    c.error(`No ${missing} parameter specified for ${first}`);
    return undefined;
  }
  if (haveBroadcast && a.peer !== undefined) {
    c.error('Cannot specify broadcast and peer addresses - ignoring broadcast address');
    delete a.broadcast;
  } else if (brd && a.prefix <= 30) {
    const base = ipv4ToInt(a.peer ?? a.address);
    const host = 2 ** (32 - a.prefix) - 1;
    const net = base - (base % (host + 1));
    a.broadcast = intToIpv4(brd === '+' ? net + host : net);
  } else if (brd) c.error(`Address prefix length ${a.prefix} too long for broadcast`);
  if (isStatic && a.dev === undefined) {
    const dflt = defaultInterface(state);
    if (!ifGet(state, dflt)) {
      c.report('FATAL', 'KA_CFG_STATIC_NO_IF', `Static address ${first} requires either an interface or default interface must exist`, {
        host: true,
      });
      return undefined;
    }
    a.dev = dflt;
  }
  if (a.family === 'inet6') {
    if (a.scope) {
      c.error(`Cannot specify scope for IPv6 addresses (${first}) - ignoring scope`);
      delete a.scope;
    }
    if (a.label !== undefined) {
      c.error(`Cannot specify label for IPv6 addresses (${first}) - ignoring label`);
      delete a.label;
    }
    if (!preferredSet) a.preferredLft = a.prefix === 128 ? 0 : INFINITY_LIFE_TIME;
  }
  if (a.trackGroup !== undefined && a.dev === undefined) {
    c.error('Static route cannot have track_group if interface not specified');
    delete a.trackGroup;
  }
  return a;
}

/** keepalived: get_default_if() — global default_interface, else DFLT_INT "eth0". */
export function defaultInterface(state: BuildState): string {
  const g = state.config.global as unknown as { defaultInterface?: unknown };
  return typeof g.defaultInterface === 'string' ? g.defaultInterface : 'eth0';
}
