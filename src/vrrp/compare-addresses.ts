/**
 * Numeric comparison of IP address text, as keepalived compares a sender's
 * address with its own for the equal-priority tie-break (RFC 5798 §6.4.3:
 * the higher primary address wins).
 */

import { pton4, pton6 } from '../lib/ip-address.js';

/** 4 or 16 bytes in network order, or null when `text` is not an address. */
export function parseIpAddress(text: string): readonly number[] | null {
  // A zone (`fe80::1%eth0`) does not take part in the comparison.
  const bytes = text.includes(':') ? pton6(text.split('%')[0] ?? '') : pton4(text);
  return bytes ?? null;
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
