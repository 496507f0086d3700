/**
 * Pure builders for what the VRRP daemon puts on the wire besides the advert
 * itself: the IPv4 header of an advert (sent with IP_HDRINCL, as keepalived
 * does), the gratuitous ARP and the unsolicited neighbour advertisement.
 * Layouts follow keepalived 2.2.7 as captured in the lab (reference §1.5, §1.10).
 */
import { internetChecksum } from '../lib/inet-checksum.js';
import { pton4, pton6 } from '../lib/ip-address.js';

const IPV4_HEADER_LENGTH = 20; // RFC 791, no options
const TOS_INTERNET_CONTROL = 0xc0; // keepalived: vrrp_build_ip4() IPTOS_PREC_INTERNETCONTROL

export interface Ipv4HeaderFields {
  readonly src: string;
  readonly dst: string;
  readonly ttl: number;
  readonly protocol: number;
  /** keepalived counts 1, 2, 3… per instance and skips 0. */
  readonly id: number;
  /** Bytes after the header. */
  readonly payloadLength: number;
}

function v4(text: string): number[] {
  const a = pton4(text);
  if (a === undefined) throw new RangeError(`not an IPv4 address: ${text}`);
  return a;
}

function v6(text: string): number[] {
  const a = pton6(text);
  if (a === undefined) throw new RangeError(`not an IPv6 address: ${text}`);
  return a;
}

/** The 20-byte IPv4 header, checksum filled in (the kernel recomputes it under IP_HDRINCL anyway). */
export function encodeIpv4Header(f: Ipv4HeaderFields): Uint8Array {
  const h = new Uint8Array(IPV4_HEADER_LENGTH);
  const total = IPV4_HEADER_LENGTH + f.payloadLength;
  h[0] = 0x45;
  h[1] = TOS_INTERNET_CONTROL;
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h[4] = (f.id >> 8) & 0xff;
  h[5] = f.id & 0xff;
  // flags/fragment 0: keepalived does not set DF.
  h[8] = f.ttl;
  h[9] = f.protocol;
  h.set(v4(f.src), 12);
  h.set(v4(f.dst), 16);
  const sum = internetChecksum(h);
  h[10] = sum >> 8;
  h[11] = sum & 0xff;
  return h;
}

export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
/** RFC 2464 §7: ff02::1 → 33:33:00:00:00:01. */
export const ALL_NODES_MAC = new Uint8Array([0x33, 0x33, 0, 0, 0, 1]);

export function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new RangeError(`not a MAC address: ${text}`);
  }
  return new Uint8Array(parts.map((p) => Number.parseInt(p, 16)));
}

/**
 * The ARP part of a gratuitous ARP (the kernel adds the Ethernet header):
 * keepalived sends a *request* with sender = target = VIP and target MAC
 * ff:ff:ff:ff:ff:ff (reference §1.10).
 */
export function gratuitousArp(mac: Uint8Array, vip: string): Uint8Array {
  const p = new Uint8Array(28);
  p.set([0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]); // Ethernet, IPv4, hlen 6, plen 4, op request
  p.set(mac, 8);
  p.set(v4(vip), 14);
  p.set(BROADCAST_MAC, 18);
  p.set(v4(vip), 24);
  return p;
}

const ICMPV6 = 58;
const ND_NEIGHBOR_ADVERT = 136;
const NA_FLAG_ROUTER = 0x80;
const NA_FLAG_OVERRIDE = 0x20;
const ND_OPT_TARGET_LINKADDR = 2;

/**
 * A whole IPv6 packet (for a packet socket, ethertype 0x86dd): unsolicited
 * neighbour advertisement from the VIP to ff02::1, hop limit 255, Override
 * (+ Router when the interface forwards), target = VIP, with the target
 * link-layer address option (RFC 4861 §4.4, §7.2.6; keepalived: ndisc.c).
 */
export function unsolicitedNeighbourAdvert(mac: Uint8Array, vip: string, isRouter: boolean): Uint8Array {
  const icmpLength = 24 + 8;
  const pkt = new Uint8Array(40 + icmpLength);
  pkt[0] = 0x60;
  pkt[4] = icmpLength >> 8;
  pkt[5] = icmpLength & 0xff;
  pkt[6] = ICMPV6;
  pkt[7] = 255;
  const src = v6(vip);
  const dst = v6('ff02::1');
  pkt.set(src, 8);
  pkt.set(dst, 24);
  const icmp = pkt.subarray(40);
  icmp[0] = ND_NEIGHBOR_ADVERT;
  icmp[4] = NA_FLAG_OVERRIDE | (isRouter ? NA_FLAG_ROUTER : 0);
  icmp.set(src, 8);
  icmp[24] = ND_OPT_TARGET_LINKADDR;
  icmp[25] = 1; // in units of 8 bytes
  icmp.set(mac, 26);
  // RFC 8200 §8.1 pseudo-header: src, dst, upper-layer length, next header.
  const pseudo = new Uint8Array(40);
  pseudo.set(src, 0);
  pseudo.set(dst, 16);
  pseudo[34] = icmpLength >> 8;
  pseudo[35] = icmpLength & 0xff;
  pseudo[39] = ICMPV6;
  const sum = internetChecksum(pseudo, icmp);
  icmp[2] = sum >> 8;
  icmp[3] = sum & 0xff;
  return pkt;
}
