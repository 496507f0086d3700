/** glibc inet_pton() emulation, shared by the config reader and the VRRP core (pure: no node:net). */

/** glibc inet_pton(AF_INET): four decimal octets, no leading zeros. */
export function pton4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** glibc inet_pton(AF_INET6). */
export function pton6(s: string): number[] | undefined {
  let t = s;
  const lc = s.lastIndexOf(':');
  const tail = s.slice(lc + 1);
  if (tail.includes('.')) {
    const v4 = pton4(tail);
    if (!v4) return undefined;
    const hi = (((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16);
    const lo = (((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16);
    t = `${s.slice(0, lc + 1)}${hi}:${lo}`;
  }
  const groups = (g: string): number[] | undefined => {
    if (g === '') return [];
    const out: number[] = [];
    for (const x of g.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return undefined;
      out.push(Number.parseInt(x, 16));
    }
    return out;
  };
  const dbl = t.split('::');
  let words: number[];
  if (dbl.length === 2) {
    const a = groups(dbl[0] ?? '');
    const b = groups(dbl[1] ?? '');
    if (!a || !b || a.length + b.length > 7) return undefined;
    words = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else if (dbl.length === 1) {
    const a = groups(t);
    if (!a || a.length !== 8) return undefined;
    words = a;
  } else return undefined;
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return bytes;
}


/** Dotted quad of 4 bytes. */
export function ntop4(b: Uint8Array): string {
  return `${b[0] ?? 0}.${b[1] ?? 0}.${b[2] ?? 0}.${b[3] ?? 0}`;
}

/** RFC 5952 text of 16 bytes: lower case, no leading zeros, the longest run (first on a tie) of ≥ 2 zero groups as `::`. */
export function ntop6(b: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  // RFC 5952 §5: IPv4-mapped addresses keep their dotted-quad tail.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${ntop4(b.subarray(12, 16))}`;
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':'); // §4.1, §4.3
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}
