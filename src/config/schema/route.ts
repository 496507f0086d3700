/**
 * Route and rule lines (virtual_routes, static_routes, virtual_rules,
 * static_rules): `ip route` / `ip rule` syntax as keepalived reads it
 * (keepalived: vrrp_iproute.c alloc_route(), vrrp_iprule.c alloc_rule()).
 * Options are kept as written (name → value); the checks and messages that
 * decide keepalived's verdict are reproduced.
 */
import type { HandlerCtx } from '../engine.js';
import { readUnsigned } from '../engine.js';
import type { BuildState } from '../model.js';
import type { Family } from './address.js';
import { familyOf, parseIpPrefix, parseScope } from './address.js';
import { ifGet, passScratch } from './vrrp-common.js';

export interface Route {
  type?: string;
  /** 'default' or ADDR/PREFIX. */
  dst: string;
  family: Family;
  dev?: string;
  src?: string;
  via?: string;
  table?: string;
  metric?: number;
  scope?: number;
  /** Every other option as written: name → value ('' for flags). */
  options: Record<string, string>;
  nexthops: string[][];
  noTrack: boolean;
  trackGroup?: string;
}

export interface Rule {
  family: Family;
  from?: string;
  to?: string;
  table?: string;
  preference: number;
  iif?: string;
  oif?: string;
  action: string;
  options: Record<string, string>;
  noTrack: boolean;
  trackGroup?: string;
}

const RTN_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
const ROUTE_TABLES: Readonly<Record<string, number>> = { default: 253, main: 254, local: 255 };
const PROTOCOLS = new Set(['redirect', 'kernel', 'boot', 'static', 'gated', 'ra', 'mrt', 'zebra', 'bird', 'dnrouted', 'xorp', 'ntk', 'dhcp', 'keepalived', 'babel', 'bgp', 'isis', 'ospf', 'rip', 'eigrp']);

/** Options that take one value and are only validated loosely (a number, or lock + number). */
const NUMERIC = new Set(['hoplimit', 'window', 'initcwnd', 'initrwnd', 'rto_min', 'rtt', 'rttvar', 'quickack', 'fastopen_no_cookie', 'expires']);
const LOCKABLE = new Set(['mtu', 'advmss', 'rtt', 'rttvar', 'reordering', 'cwnd', 'ssthresh', 'rto_min', 'congctl']);

function tableOk(s: string): boolean {
  return Object.hasOwn(ROUTE_TABLES, s) || /^[0-9]+$/.test(s);
}

/** keepalived: parse_route() — default|any|all|ADDR[/LEN]. */
function parseDest(c: HandlerCtx<unknown>, s: string): { dst: string; family?: Family } | undefined {
  if (s === 'default' || s === 'any' || s === 'all') return { dst: 'default' };
  if (s === 'default6') {
    c.log('"default6" for routes is deprecated, please use "inet6 default"');
    return { dst: 'default', family: 'inet6' };
  }
  const addr = s.split('/')[0] ?? '';
  if (!familyOf(addr)) return undefined;
  const p = parseIpPrefix(c, s, true);
  return p ? { dst: `${p.address}/${p.prefix}`, family: p.family } : undefined;
}

/** keepalived: alloc_route(). `c` is the context of the value-block line. */
export function parseRouteLine(c: HandlerCtx<unknown>, state: BuildState, allowTrackGroup: boolean): Route | undefined {
  const n = c.words.length;
  let family: Family | undefined;
  const r: Omit<Route, 'family' | 'dst'> & { dst?: string } = { options: {}, nexthops: [], noTrack: false };
  const mix = (f: Family | undefined): boolean => {
    if (!f) return true;
    if (family && family !== f) {
      c.error('Cannot mix IPv4 and IPv6 addresses for route');
      return false;
    }
    family = f;
    return true;
  };
  let i = 0;
  let nexthop = false;
  let dest: string | undefined;
  for (; i < n; i++) {
    const str = c.word(i);
    if (str === 'inet6' || str === 'inet') {
      const f: Family = str;
      if (family && family !== f) {
        c.error(`${str} specified for IPv${family === 'inet' ? 4 : 6} route`);
        return undefined;
      }
      family = f;
    } else if (str === 'src' || str === 'from') {
      const v = c.word(++i);
      const f = familyOf(v.split('/')[0] ?? '');
      if (!f) return void c.error(`invalid route ${str} address ${v}`);
      if (str === 'from' && f !== 'inet6') return void c.error(`route from address only supported with IPv6 (${v})`);
      if (!mix(f)) return undefined;
      if (str === 'src') r.src = v;
      else r.options.from = v;
    } else if (str === 'via' || str === 'gw') {
      if (str === 'gw') c.error('"gw" for routes is deprecated. Please use "via"');
      let v = c.word(++i);
      if (v === 'inet' || v === 'inet6') v = c.word(++i);
      const f = familyOf(v);
      if (!f) return void c.error(`invalid route via address ${v}`);
      if (!mix(f)) return undefined;
      r.via = v;
    } else if (str === 'tos' || str === 'dsfield') {
      const v = c.word(++i);
      if (!/^(0x)?[0-9a-fA-F]+$/.test(v)) return void c.error(`TOS value ${v} is invalid`);
      r.options.tos = v;
    } else if (str === 'table') {
      const v = c.word(++i);
      if (!tableOk(v)) return void c.error(`Routing table ${v} not found for route`);
      r.table = v;
    } else if (str === 'protocol') {
      const v = c.word(++i);
      if (!PROTOCOLS.has(v) && !/^[0-9]+$/.test(v)) return void c.error(`Protocol ${v} not found or invalid for route`);
      r.options.protocol = v;
    } else if (str === 'scope') {
      const v = c.word(++i);
      const s = parseScope(v);
      if (s === undefined) return void c.error(`Scope ${v} not found or invalid for route`);
      r.scope = s;
    } else if (str === 'metric' || str === 'priority' || str === 'preference') {
      const v = readUnsigned(c, c.word(++i), 0, 0xffffffff);
      if (v === undefined) return undefined;
      r.metric = v;
    } else if (str === 'dev' || str === 'oif') {
      const v = c.word(++i);
      if (!ifGet(state, v)) return void c.error(`WARNING - interface ${v} for VROUTE nexthop doesn't exist`, { host: true });
      r.dev = v;
    } else if (str === 'onlink' || str === 'add' || str === 'prepend' || str === 'append') {
      r.options[str] = '';
    } else if (LOCKABLE.has(str) || NUMERIC.has(str) || ['realms', 'features', 'pref', 'ttl-propagate', 'vrf', 'encap'].includes(str)) {
      let v = c.word(++i);
      if (LOCKABLE.has(str) && v === 'lock') v = `lock ${c.word(++i)}`;
      if (str === 'pref' && !['low', 'medium', 'high'].includes(v)) return void c.error(`Invalid pref value ${v}`);
      if (str === 'ttl-propagate' && v !== 'enabled' && v !== 'disabled') c.error(`ttl-propagate value ${v} not recognised`);
      r.options[str] = v;
    } else if (str === 'or') {
      c.error('"or" for routes is deprecated. Please use "nexthop"');
      r.nexthops.push(['via', c.word(++i)]);
    } else if (str === 'nexthop') {
      nexthop = true;
      break;
    } else if (str === 'no_track') r.noTrack = true;
    else if (allowTrackGroup && str === 'track_group') {
      const v = c.word(++i);
      if (r.trackGroup !== undefined) {
        c.error(`track_group ${v} is a duplicate`);
        break;
      }
      if (state.config.vrrp.trackGroups.some((g) => g.name === v)) r.trackGroup = v;
      else c.error(`track_group ${v} not found`);
    } else {
      let s = str;
      if (s === 'to') s = c.word(++i);
      if (RTN_TYPES.has(s)) {
        r.type = s;
        s = c.word(++i);
      }
      dest = s;
      const d = parseDest(c, s);
      if (!d) return void c.error(`unknown route keyword ${s}`);
      if (d.family && family && d.family !== family) return void c.error(`Cannot mix IPv4 and IPv6 addresses for route (${s})`);
      if (d.family) family = d.family;
      r.dst = d.dst;
    }
  }
  if (nexthop) {
    for (i++; i < n; ) {
      const hop: string[] = [];
      while (i < n && c.words[i] !== 'nexthop') hop.push(c.word(i++));
      r.nexthops.push(hop);
      i++;
    }
  }
  if (r.dst === undefined) return void c.error('Route must have a destination');
  if (!r.noTrack) {
    if (r.options.protocol !== undefined && r.options.protocol !== 'keepalived' && r.options.protocol !== '18')
      c.error('Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol');
    if (r.dev === undefined) {
      c.error(`Warning - cannot track route ${dest ?? ''} with no interface specified, not tracking`);
      r.noTrack = true;
    }
  }
  if (r.trackGroup !== undefined && r.dev === undefined) {
    c.error('Static route cannot have track group if no oif specified');
    delete r.trackGroup;
  }
  return { ...r, dst: r.dst, family: family ?? 'inet' };
}

const RULE_ACTIONS = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit', 'nat']);

/** keepalived: alloc_rule(). */
export function parseRuleLine(c: HandlerCtx<unknown>, state: BuildState, allowTrackGroup: boolean): Rule | undefined {
  const n = c.words.length;
  let family: Family | undefined;
  const r: Omit<Rule, 'family' | 'preference' | 'action'> & { preference?: number; action?: string } = {
    options: {},
    noTrack: false,
  };
  const setAction = (a: string): boolean => {
    if (r.action !== undefined) {
      c.error('Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for rule');
      return false;
    }
    r.action = a;
    return true;
  };
  for (let i = 0; i < n; i++) {
    const str = c.word(i);
    if (str === 'inet' || str === 'inet6') {
      if (family && family !== str) return void c.error(`${str} specified for IPv${family === 'inet' ? 4 : 6} rule`);
      family = str;
    } else if (str === 'from' || str === 'to') {
      const v = c.word(++i);
      const f = v === 'all' ? family : parseIpPrefix(c, v, true)?.family;
      if (v !== 'all' && !f) return void c.error(`Invalid rule ${str} address ${v}`);
      if (f && family && f !== family) return void c.error('rule specification has mixed IPv4 and IPv6');
      if (f) family = f;
      r[str] = v;
    } else if (str === 'table' || str === 'lookup') {
      const v = c.word(++i);
      if (!tableOk(v)) return void c.error(`Routing table ${v} not found for rule`);
      if (v === '0') return void c.error('Table 0 is not valid');
      if (!setAction('table')) return undefined;
      r.table = v;
    } else if (str === 'not') r.options.not = '';
    else if (str === 'preference' || str === 'order' || str === 'priority') {
      const v = c.word(++i);
      const p = /^[0-9]+$/.test(v) ? Number(v) : undefined;
      if (p === undefined || p > 0xffffffff) return void c.error(`Invalid rule preference ${v} specified`);
      r.preference = p;
    } else if (str === 'dev' || str === 'iif' || str === 'oif') {
      const v = c.word(++i);
      if (!ifGet(state, v)) return void c.error(`WARNING - interface ${v} for rule doesn't exist`, { host: true });
      if (str === 'oif') r.oif = v;
      else r.iif = v;
    } else if (['tos', 'dsfield', 'fwmark', 'realms', 'suppress_prefixlength', 'sup_pl', 'suppress_ifgroup', 'sup_group', 'tunnel-id', 'uidrange', 'protocol', 'ipproto', 'sport', 'dport'].includes(str)) {
      r.options[str] = c.word(++i);
    } else if (str === 'l3mdev') {
      if (!setAction('l3mdev')) return undefined;
    } else if (str === 'no_track') r.noTrack = true;
    else if (allowTrackGroup && str === 'track_group') {
      const v = c.word(++i);
      if (r.trackGroup !== undefined) {
        c.error(`track_group ${v} is a duplicate`);
        break;
      }
      if (state.config.vrrp.trackGroups.some((g) => g.name === v)) r.trackGroup = v;
      else c.error(`track_group ${v} not found`);
    } else {
      let s = str;
      if (s === 'type') s = c.word(++i);
      if (s === 'goto') {
        const v = c.word(++i);
        if (!/^[0-9]+$/.test(v)) return void c.error(`Invalid target ${v} specified`);
        if (!setAction('goto')) return undefined;
        r.options.goto = v;
      } else if (s === 'nop') {
        if (!setAction('nop')) return undefined;
      } else if (RULE_ACTIONS.has(s)) {
        if (!setAction(s)) return undefined;
      } else return void c.error(`Unknown rule option ${s}`);
    }
  }
  if (r.action === undefined) return void c.error('No action specified for rule - ignoring');
  if (r.trackGroup !== undefined && r.iif === undefined) {
    c.error('Static rule cannot have track_group if dev/iif not specified');
    delete r.trackGroup;
  }
  const fam = family ?? 'inet';
  let preference = r.preference;
  if (preference === undefined) {
    preference = passScratch(state).nextRulePref[fam]--;
    c.error(`Rule has no preference specified - setting to ${preference}. This is probably not what you want.`);
  }
  return { ...r, family: fam, preference, action: r.action };
}
