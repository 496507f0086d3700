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

