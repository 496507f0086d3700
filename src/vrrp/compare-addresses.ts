/**
 * Numeric comparison of IP address text, as keepalived compares a sender's
 * address with its own for the equal-priority tie-break (RFC 5798 §6.4.3:
 * the higher primary address wins).
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseIpv4(text: string): number[] | null {
  const m = IPV4.exec(text);
  if (m === null) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function parseGroups(part: string): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  const groups = part.split(':');
  for (const [i, g] of groups.entries()) {
    const v4 = i === groups.length - 1 && g.includes('.') ? parseIpv4(g) : null;
    if (v4 !== null) {
      out.push(...v4);
    } else if (HEX_GROUP.test(g)) {
      const n = Number.parseInt(g, 16);
      out.push(n >> 8, n & 0xff);
    } else {
      return null;
    }
  }
  return out;
}

function parseIpv6(text: string): number[] | null {
  const noZone = text.split('%')[0] ?? '';
  const halves = noZone.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  const gap = 16 - head.length - tail.length;
  if (halves.length === 1 ? gap !== 0 : gap < 2) return null;
  return [...head, ...new Array<number>(gap).fill(0), ...tail];
}

/** 4 or 16 bytes in network order, or null when `text` is not an address. */
export function parseIpAddress(text: string): readonly number[] | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/**
 * -1, 0 or 1 as `a` is numerically below, equal to or above `b`.
 * keepalived: vrrp_saddr_cmp() / inet_inaddrcmp(): big-endian compare; a
 * family mismatch (or text that is not an address) compares equal.
 */
export function compareAddresses(a: string, b: string): -1 | 0 | 1 {
  const x = parseIpAddress(a);
  const y = parseIpAddress(b);
  if (x === null || y === null || x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0 ? 1 : -1;
  }
  return 0;
}

/** Same address, whatever the spelling (fe80::1 vs FE80:0::0001). */
export function isSameAddress(a: string, b: string): boolean {
  const x = parseIpAddress(a);
  const y = parseIpAddress(b);
  if (x === null || y === null) return a === b;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
