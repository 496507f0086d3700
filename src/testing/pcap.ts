// Reads classic pcap files (what `tcpdump -w` writes) into Ethernet frames with their IPv4, IPv6 or ARP
// header picked apart, so integration tests can assert on what crossed the lab bridge. Pure: bytes in, data
// out. It never throws on bad input: a short or corrupt file yields the frames read so far plus a count of
// the records it could not use.
//
// File layout: https://www.tcpdump.org/manpages/pcap-savefile.5.html (24-byte global header, then records of
// a 16-byte header and `incl_len` bytes of packet data). The magic number also tells the writer's byte order
// and whether the second timestamp field counts microseconds or nanoseconds.
import { ntop4, ntop6 } from '../lib/ip-address.js';

export interface PcapIp {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** IPv4 TTL or IPv6 hop limit. */
  readonly ttl: number;
  /** IPv4 protocol or the IPv6 fixed header's next header (extension headers are not walked). */
  readonly protocol: number;
  /** What follows the IP header, cut at the IP length field and at the captured length. */
  readonly payload: Uint8Array;
}

export interface PcapArp {
  readonly op: number;
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetMac: string;
  readonly targetIp: string;
}

export interface PcapFrame {
  /** Capture time in whole microseconds since the Unix epoch. */
  readonly tsUs: number;
  readonly ethSrc: string;
  readonly ethDst: string;
  readonly ethertype: number;
  readonly ip?: PcapIp;
  readonly arp?: PcapArp;
}

export type PcapParseResult =
  | {
      readonly ok: true;
      readonly byteOrder: 'le' | 'be';
      readonly resolution: 'us' | 'ns';
      readonly linktype: number;
      readonly frames: readonly PcapFrame[];
      /** Records not turned into frames: cut short, not Ethernet, or shorter than an Ethernet header. */
      readonly skipped: number;
    }
  | { readonly ok: false; readonly reason: 'too-short' | 'bad-magic'; readonly frames: readonly []; readonly skipped: 0 };

const LINKTYPE_ETHERNET = 1;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV6 = 0x86dd;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const ETHERNET_HEADER = 14;

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

export function parsePcap(file: Uint8Array): PcapParseResult {
  if (file.length < GLOBAL_HEADER) return { ok: false, reason: 'too-short', frames: [], skipped: 0 };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const header = readMagic(view);
  if (header === undefined) return { ok: false, reason: 'bad-magic', frames: [], skipped: 0 };
  const le = header.byteOrder === 'le';
  // pcap-savefile(5): the upper bits of the link-type field may carry FCS information.
  const linktype = view.getUint32(20, le) & 0x0fffffff;

  const frames: PcapFrame[] = [];
  let skipped = 0;
  let at = GLOBAL_HEADER;
  while (at < file.length) {
    if (file.length - at < RECORD_HEADER) {
      skipped++;
      break;
    }
    const sec = view.getUint32(at, le);
    const frac = view.getUint32(at + 4, le);
    const inclLen = view.getUint32(at + 8, le);
    const start = at + RECORD_HEADER;
    if (inclLen > file.length - start) {
      skipped++;
      break;
    }
    at = start + inclLen;
    const tsUs = sec * 1_000_000 + (header.resolution === 'ns' ? Math.floor(frac / 1000) : frac);
    const frame = linktype === LINKTYPE_ETHERNET ? parseEthernet(file.subarray(start, at), tsUs) : undefined;
    if (frame === undefined) skipped++;
    else frames.push(frame);
  }
  return { ok: true, ...header, linktype, frames, skipped };
}

function readMagic(view: DataView): { byteOrder: 'le' | 'be'; resolution: 'us' | 'ns' } | undefined {
  for (const byteOrder of ['be', 'le'] as const) {
    const magic = view.getUint32(0, byteOrder === 'le');
    if (magic === MAGIC_US) return { byteOrder, resolution: 'us' };
    if (magic === MAGIC_NS) return { byteOrder, resolution: 'ns' };
  }
  return undefined;
}

function parseEthernet(data: Uint8Array, tsUs: number): PcapFrame | undefined {
  if (data.length < ETHERNET_HEADER) return undefined;
  const ethertype = u16(data, 12);
  const body = data.subarray(ETHERNET_HEADER);
  const frame = { tsUs, ethSrc: formatMac(data.subarray(6, 12)), ethDst: formatMac(data.subarray(0, 6)), ethertype };
  if (ethertype === ETHERTYPE_IPV4) {
    const ip = parseIpv4(body);
    return ip === undefined ? frame : { ...frame, ip };
  }
  if (ethertype === ETHERTYPE_IPV6) {
    const ip = parseIpv6(body);
    return ip === undefined ? frame : { ...frame, ip };
  }
  if (ethertype === ETHERTYPE_ARP) {
    const arp = parseArp(body);
    return arp === undefined ? frame : { ...frame, arp };
  }
  return frame;
}

// RFC 791 §3.1. A header cut short, or a length field smaller than the header, gives no `ip` at all.
function parseIpv4(b: Uint8Array): PcapIp | undefined {
  if (b.length < 20 || b[0] === undefined || b[0] >> 4 !== 4) return undefined;
  const headerLen = (b[0] & 0x0f) * 4;
  const totalLen = u16(b, 2);
  if (headerLen < 20 || b.length < headerLen || totalLen < headerLen) return undefined;
  return {
    version: 4,
    src: ntop4(b.subarray(12, 16)),
    dst: ntop4(b.subarray(16, 20)),
    ttl: b[8] ?? 0,
    protocol: b[9] ?? 0,
    // Cutting at the length field drops Ethernet padding; the capture may also end sooner (snaplen).
    payload: b.subarray(headerLen, Math.min(totalLen, b.length)),
  };
}

// RFC 8200 §3.
function parseIpv6(b: Uint8Array): PcapIp | undefined {
  if (b.length < 40 || b[0] === undefined || b[0] >> 4 !== 6) return undefined;
  return {
    version: 6,
    src: formatIpv6(b.subarray(8, 24)),
    dst: formatIpv6(b.subarray(24, 40)),
    ttl: b[7] ?? 0,
    protocol: b[6] ?? 0,
    payload: b.subarray(40, Math.min(40 + u16(b, 4), b.length)),
  };
}

// RFC 826, for Ethernet hardware (1) and IPv4 protocol addresses only.
function parseArp(b: Uint8Array): PcapArp | undefined {
  if (b.length < 28 || u16(b, 0) !== 1 || u16(b, 2) !== ETHERTYPE_IPV4 || b[4] !== 6 || b[5] !== 4) return undefined;
  return {
    op: u16(b, 6),
    senderMac: formatMac(b.subarray(8, 14)),
    senderIp: ntop4(b.subarray(14, 18)),
    targetMac: formatMac(b.subarray(18, 24)),
    targetIp: ntop4(b.subarray(24, 28)),
  };
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function formatMac(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}


/** RFC 5952 text for 16 bytes (src/lib/ip-address.ts). */
export const formatIpv6 = ntop6;
