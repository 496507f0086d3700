// Builds VRRP, AH and IPv4 test packets byte by byte, without src/vrrp/packet.ts, so codec tests do not
// check the encoder against itself (pg-protocol's test-buffers). Every field can be set to a wrong value.

export class ByteWriter {
  private readonly bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  u8(n: number): this {
    this.bytes.push(n & 0xff);
    return this;
  }

  u16(n: number): this {
    return this.u8(n >>> 8).u8(n);
  }

  u32(n: number): this {
    return this.u16(n >>> 16).u16(n);
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.u8(bytes[i] ?? 0);
    return this;
  }

  /** Dotted quad, four decimal octets. */
  ipv4(text: string): this {
    return this.raw(text.split('.').map(Number));
  }

  /** IPv6 in hex groups, with at most one `::`; no dotted tail. */
  ipv6(text: string): this {
    const [head = '', tail] = text.split('::');
    const h = head === '' ? [] : head.split(':');
    const t = tail === undefined || tail === '' ? [] : tail.split(':');
    const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    for (const g of groups) this.u16(Number.parseInt(g, 16));
    return this;
  }

  /** `text` as Latin-1 bytes, NUL padded (or cut) to `width`. */
  text(text: string, width: number): this {
    for (let i = 0; i < width; i++) this.u8(i < text.length ? text.charCodeAt(i) : 0);
    return this;
  }

  /** Overwrites a big-endian 16-bit value at `offset`. */
  patch16(offset: number, n: number): this {
    this.bytes[offset] = (n >>> 8) & 0xff;
    this.bytes[offset + 1] = n & 0xff;
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** RFC 1071 checksum over the concatenation of `chunks` (each chunk padded to even length). */
export function internetChecksum(...chunks: Uint8Array[]): number {
  let sum = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i += 2) sum += (chunk[i] ?? 0) * 256 + (chunk[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = Math.floor(sum / 0x10000) + (sum % 0x10000);
  return 0xffff - sum;
}

/** IPv4 (RFC 768 layout) or IPv6 (RFC 8200 §8.1) pseudo-header for protocol 112. */
export function pseudoHeader(family: 4 | 6, src: string, dst: string, length: number): Uint8Array {
  const w = new ByteWriter();
  if (family === 4) return w.ipv4(src).ipv4(dst).u8(0).u8(112).u16(length).build();
  return w.ipv6(src).ipv6(dst).u32(length).u8(0).u8(0).u8(0).u8(112).build();
}

export interface VrrpFields {
  readonly family: 4 | 6;
  readonly version?: number; // default 2 for IPv4, 3 for IPv6
  readonly type?: number; // default 1
  readonly vrid: number;
  readonly priority: number;
  readonly addresses: readonly string[];
  /** Count field; defaults to addresses.length. */
  readonly count?: number;
  /** v2: auth type byte (default 0). */
  readonly authType?: number;
  /** v2: seconds byte; v3: the whole 16-bit field (rsvd bits included), centiseconds. */
  readonly interval: number;
  /** v2: the 8 auth bytes as text (Latin-1, NUL padded). Default all zero. */
  readonly authData?: string;
  /** Checksum field: a number to force it, or computed (v3 needs `pseudo`; without it v3 gets 0). */
  readonly checksum?: number;
  readonly pseudo?: { readonly src: string; readonly dst: string };
}

export function vrrpPacket(f: VrrpFields): Uint8Array {
  const version = f.version ?? (f.family === 4 ? 2 : 3);
  const w = new ByteWriter()
    .u8((version << 4) | (f.type ?? 1))
    .u8(f.vrid)
    .u8(f.priority)
    .u8(f.count ?? f.addresses.length);
  if (version === 2) w.u8(f.authType ?? 0).u8(f.interval);
  else w.u16(f.interval);
  w.u16(0);
  for (const a of f.addresses) {
    if (f.family === 4) w.ipv4(a);
    else w.ipv6(a);
  }
  if (version === 2) w.text(f.authData ?? '', 8);
  if (f.checksum !== undefined) return w.patch16(6, f.checksum).build();
  const body = w.build();
  if (version === 2) return w.patch16(6, internetChecksum(body)).build();
  if (f.pseudo === undefined) return body;
  const ph = pseudoHeader(f.family, f.pseudo.src, f.pseudo.dst, body.length);
  return w.patch16(6, internetChecksum(ph, body)).build();
}

export interface Ipv4Fields {
  readonly src: string;
  readonly dst: string;
  readonly tos?: number; // default 0xc0, as keepalived sends
  readonly id?: number;
  readonly ttl?: number; // default 255
  readonly protocol?: number; // default 112
  readonly version?: number; // default 4
  /** Header options (padded to 32-bit words by the caller); IHL follows from their length. */
  readonly options?: readonly number[];
  readonly ihl?: number; // force the IHL nibble
  readonly totalLength?: number; // force the total length field
}

export function ipv4Packet(f: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const options = f.options ?? [];
  const headerLength = 20 + options.length;
  const w = new ByteWriter()
    .u8(((f.version ?? 4) << 4) | (f.ihl ?? headerLength / 4))
    .u8(f.tos ?? 0xc0)
    .u16(f.totalLength ?? headerLength + payload.length)
    .u16(f.id ?? 1)
    .u16(0) // flags + fragment offset: keepalived never sets DF
    .u8(f.ttl ?? 255)
    .u8(f.protocol ?? 112)
    .u16(0)
    .ipv4(f.src)
    .ipv4(f.dst)
    .raw(options);
  w.patch16(10, internetChecksum(w.build()));
  return w.raw(payload).build();
}

/** RFC 2402 §2 AH header with a 12-byte ICV, as keepalived puts in front of a VRRPv2 message. */
export function ahHeader(f: {
  readonly spi: number;
  readonly sequence: number;
  readonly icv?: readonly number[];
  readonly nextHeader?: number;
  readonly payloadLen?: number;
}): Uint8Array {
  return new ByteWriter()
    .u8(f.nextHeader ?? 112)
    .u8(f.payloadLen ?? 4)
    .u16(0)
    .u32(f.spi)
    .u32(f.sequence)
    .raw(f.icv ?? Array<number>(12).fill(0))
    .build();
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const hex = (s: string): Uint8Array =>
  Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((b) => Number.parseInt(b, 16)));

export const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
