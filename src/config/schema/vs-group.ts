/**
 * `virtual_server_group NAME { … }`: a value block, one entry per line
 * (keepalived: check_parser.c vsg_handler(), check_data.c alloc_vsg_entry(),
 * lib/utils.c inet_stor()).
 */
import type { HandlerCtx, Stmt } from '../engine.js';
import { readUnsigned, UINT_MAX } from '../engine.js';
import type { BuildState } from '../model.js';
import type { VirtualServerGroup, VsgEntry } from './lvs-model.js';
import { formatIp, parseIp, portWord, readSockAddr } from './lvs-values.js';
import type { SockAddr } from './lvs-values.js';

const withLast = (a: SockAddr, bytes: number[]): SockAddr => ({
  ...a,
  address: formatIp({ family: a.family, bytes }),
});

function bytesOf(a: SockAddr): number[] {
  return [...(parseIp(a.address)?.bytes ?? [])];
}

/** keepalived: alloc_vsg_entry(). */
function readEntry(c: HandlerCtx<unknown>, g: VirtualServerGroup): VsgEntry | undefined {
  const w = c.words;
  const addrStr = c.word(0);
  if (addrStr === 'fwmark') {
    const fwmark = readUnsigned(c, c.word(1), 0, UINT_MAX);
    if (fwmark === undefined) {
      c.error(`(${g.name}): fwmark '${c.word(1)}' must be in [0, ${UINT_MAX}] - ignoring`);
      return undefined;
    }
    const fam = w[2];
    if (fam === undefined) {
      g.fwmarkWithoutFamily = true;
      return { kind: 'fwmark', fwmark };
    }
    if (fam !== 'inet' && fam !== 'inet6') {
      c.error(`(${g.name}): fwmark '${fwmark}' family ${fam} unknown - ignoring`);
      return undefined;
    }
    if (fam === 'inet') g.hasIpv4 = true;
    else g.hasIpv6 = true;
    return { kind: 'fwmark', fwmark, family: fam };
  }
  const port = portWord(w[1]);
  const start = readSockAddr(c, addrStr, port);
  if (!start) {
    const p = port === undefined ? '' : `/port/${port}`;
    c.error(`Invalid virtual server group IP address ${addrStr} ${p} - skipping`.replace(/ $/, ' '));
    return undefined;
  }
  const b = bytesOf(start);
  let end = start;
  const slash = addrStr.indexOf('/');
  const dash = addrStr.indexOf('-');
  if (slash >= 0) {
    const ms = addrStr.slice(slash + 1);
    const mask = /^[0-9]+$/.test(ms) ? Number(ms) : Number.NaN;
    const bits = b.length * 8;
    if (!(mask > 0 && mask <= bits)) {
      c.error(`Invalid netmask - ${addrStr} - skipping`);
      return undefined;
    }
    const e = [...b];
    for (let i = mask; i < bits; i++) {
      const byte = i >> 3;
      const bit = 0x80 >> (i & 7);
      if ((b[byte] ?? 0) & bit) {
        c.error(`Address mask bits not empty - ${addrStr} - skipping`);
        return undefined;
      }
      e[byte] = (e[byte] ?? 0) | bit;
    }
    end = withLast(start, e);
  } else if (dash >= 0) {
    const tail = addrStr.slice(dash + 1);
    if (tail.includes(start.family === 'inet' ? '.' : ':')) {
      const e = readSockAddr(c, tail, port);
      if (!e) {
        c.error(`Invalid range end ${addrStr} - skipping`);
        return undefined;
      }
      if (e.family !== start.family) {
        c.error(`Range address families do not match ${addrStr} - skipping`);
        return undefined;
      }
      const eb = bytesOf(e);
      const cmp = eb.findIndex((x, i) => x !== b[i]);
      if (cmp >= 0 && (eb[cmp] ?? 0) < (b[cmp] ?? 0)) {
        c.error(`Address range end is less than address range start - ${addrStr} - skipping`);
        return undefined;
      }
      end = e;
    } else {
      // keepalived: inet_stor()
      const v6 = start.family === 'inet6';
      const m = (v6 ? /^[ \t]*[+-]?(?:0[xX])?([0-9a-fA-F]*)/ : /^[ \t]*[+-]?([0-9]*)/).exec(tail);
      const used = m?.[0].length ?? 0;
      if (used < tail.length) {
        c.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `Virtual server group range '${addrStr}' has extra characters at end '${tail.slice(used)}'`);
        return undefined;
      }
      const range = Number.parseInt(m?.[1] || '0', v6 ? 16 : 10);
      if (range > (v6 ? 0xffff : 255)) {
        c.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `Virtual server group range '${addrStr}' end '${tail}' too large`);
        return undefined;
      }
      const e = [...b];
      let first: number;
      if (v6) {
        first = ((b[14] ?? 0) << 8) | (b[15] ?? 0);
        e[14] = range >> 8;
        e[15] = range & 0xff;
      } else {
        first = b[3] ?? 0;
        e[3] = range;
      }
      if (first >= range) {
        c.error(`Address range end is not greater than address range start - ${addrStr} - skipping`);
        return undefined;
      }
      end = withLast(start, e);
    }
  }
  if (start.family === 'inet') g.hasIpv4 = true;
  else g.hasIpv6 = true;
  return { kind: 'range', start, end };
}

/** keepalived: vsg_handler(). */
export function vsGroupHandler(c: HandlerCtx<BuildState>): void {
  const lvs = c.target.config.lvs;
  const g: VirtualServerGroup = {
    name: c.word(1),
    loc: c.loc,
    entries: [],
    hasIpv4: false,
    hasIpv6: false,
    fwmarkWithoutFamily: false,
  };
  lvs.virtualServerGroups.push(g);
  // keepalived: alloc_value_block() is handed the line without the group name
  const words = [c.keyword, ...c.words.slice(2)];
  const line = c.stmt;
  const stmt: Stmt = {
    kind: line.kind,
    words,
    raw: line.raw,
    loc: line.loc,
    colOffset: (i) => (i === 0 ? line.colOffset(0) : line.colOffset(i + 1)),
  };
  for (const line of c.with(c.target, stmt).valueBlock()) {
    const e = readEntry(c.with(c.target, line), g);
    if (e) g.entries.push(e);
  }
  if (g.entries.length === 0) {
    c.error(`virtual server group ${g.name} has no entries - removing`);
    lvs.virtualServerGroups.splice(lvs.virtualServerGroups.indexOf(g), 1);
  } else if (g.hasIpv4 && g.hasIpv6 && g.fwmarkWithoutFamily) {
    c.error(`virtual server group ${g.name} cannot have IPv4, IPv6 and fwmark without family - removing`);
    lvs.virtualServerGroups.splice(lvs.virtualServerGroups.indexOf(g), 1);
  }
}
