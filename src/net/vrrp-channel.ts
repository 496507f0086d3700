/**
 * One VRRP instance's view of the wire: frames adverts for a raw socket and
 * filters what the socket delivers, counting every packet it drops. It runs
 * over a small RawIo port (the native socket in production, a fake in unit
 * tests); opening and configuring the socket is vrrp-socket.ts's job.
 * keepalived: vrrp_build_pkt() / vrrp_send_pkt() and the first half of
 * vrrp_check_packet() (envelope checks before the instance looks at it).
 */
import { isSameAddress } from '../vrrp/compare-addresses.js';
import type { Advert, IpFamily } from '../vrrp/advert.js';
import { decode, encode, encodingLength, IPPROTO_AH, IPPROTO_VRRP, parseIpv4Header, type DecodeResult, type DropReason, type Ipv4DropReason } from '../vrrp/packet.js';
import { encodeIpv4Header } from './frames.js';

/** What a raw socket delivers: IPv4 data starts with the IP header; IPv6 data is the VRRP message. */
export interface RawMessage {
  readonly data: Uint8Array;
  readonly src: string;
  readonly ifindex: number;
  /** IPv6 (IPV6_PKTINFO) destination; IPv4 takes it from the header. */
  readonly dst?: string;
  /** IPv6 hop limit (IPV6_HOPLIMIT ancillary data); IPv4 takes the TTL from the header. */
  readonly hopLimit?: number;
}

export interface RawIo {
  send(data: Uint8Array, dst: string, opts: { readonly ifindex: number; readonly dontRoute: boolean }): void;
  /** Starts delivery; the handler runs once per datagram; socket errors go to onError (delivery goes on). */
  start(onMessage: (msg: RawMessage) => void, onError: (err: Error) => void): void;
  close(): void;
}

export interface ChannelOptions {
  readonly family: IpFamily;
  readonly ifindex: number;
  /** Our advert source: mcast_src_ip / unicast_src_ip or the interface's primary address. */
  readonly srcAddress: string;
  readonly mcastGroup: string;
  /** Non-empty: unicast mode, one copy per peer. */
  readonly unicastPeers: readonly string[];
  /** IPv4 default 255; IPv6 unicast default: the kernel's (set on the socket by the opener). */
  readonly unicastTtl?: number;
  /** vrrp_check_unicast_src / check_unicast_src. */
  readonly checkUnicastSrc?: boolean;
  /** vrrp_mcast_group4, for the v3 checksum of old unicast peers. */
  readonly mcastGroup4?: string;
}

export type ChannelDropReason =
  | DropReason
  | Ipv4DropReason
  /** RFC 5798 §7.1: multicast adverts must arrive with TTL / hop limit 255. keepalived: ip_ttl_err. */
  | 'bad-ttl'
  | 'not-vrrp'
  /** auth_type AH (IP protocol 51) is not implemented. */
  | 'ah-unsupported'
  /** Multicast packet on a unicast instance or the reverse, or another group. keepalived: addr_list_err. */
  | 'wrong-destination'
  /** Our own advert, looped back. */
  | 'own-packet'
  | 'wrong-interface'
  /** check_unicast_src: the source is not one of our peers. */
  | 'not-unicast-peer';

export interface ChannelHandlers {
  readonly onAdvert: (advert: Advert, from: string, ttl: number) => void;
  readonly onDrop: (reason: ChannelDropReason, from: string) => void;
  /** A receive error of the socket (e.g. the interface went away); the channel stays open. */
  readonly onError?: (err: Error) => void;
}

const TTL_REQUIRED = 255; // RFC 5798 §5.1.1.3 / §7.1

export class VrrpChannel {
  readonly #io: RawIo;
  readonly #o: ChannelOptions;
  readonly #handlers: ChannelHandlers;
  readonly #drops = new Map<ChannelDropReason, number>();
  #ipId = 0;
  #sent = 0;

  constructor(io: RawIo, options: ChannelOptions, handlers: ChannelHandlers) {
    this.#io = io;
    this.#o = options;
    this.#handlers = handlers;
    io.start(
      (msg) => this.#receive(msg),
      (err) => handlers.onError?.(err),
    );
  }

  get isUnicast(): boolean {
    return this.#o.unicastPeers.length > 0;
  }

  /** Counts of dropped packets by reason. */
  get drops(): ReadonlyMap<ChannelDropReason, number> {
    return this.#drops;
  }

  get sent(): number {
    return this.#sent;
  }

  /** One advert: to the group, or one copy per unicast peer (same IP ID for every copy, as keepalived). */
  send(advert: Advert): void {
    const o = this.#o;
    const targets = this.isUnicast ? o.unicastPeers : [o.mcastGroup];
    this.#ipId = this.#ipId >= 0xffff ? 1 : this.#ipId + 1;
    for (const dst of targets) {
      const pseudo = { srcAddress: o.srcAddress, dstAddress: dst, ...(o.mcastGroup4 === undefined ? {} : { mcastGroup4: o.mcastGroup4 }) };
      const dontRoute = !this.isUnicast;
      if (o.family === 6) {
        // The kernel fills in the v3 checksum (IPV6_CHECKSUM) and the IPv6 header.
        this.#io.send(encode(advert), dst, { ifindex: o.ifindex, dontRoute });
      } else {
        const length = encodingLength(advert);
        const pkt = new Uint8Array(20 + length);
        const ttl = this.isUnicast ? (o.unicastTtl ?? TTL_REQUIRED) : TTL_REQUIRED;
        pkt.set(encodeIpv4Header({ src: o.srcAddress, dst, ttl, protocol: IPPROTO_VRRP, id: this.#ipId, payloadLength: length }));
        encode(advert, pseudo, pkt, 20);
        this.#io.send(pkt, dst, { ifindex: o.ifindex, dontRoute });
      }
      this.#sent++;
    }
  }

  close(): void {
    this.#io.close();
  }

  #drop(reason: ChannelDropReason, from: string): void {
    this.#drops.set(reason, (this.#drops.get(reason) ?? 0) + 1);
    this.#handlers.onDrop(reason, from);
  }

  #receive(msg: RawMessage): void {
    const o = this.#o;
    if (msg.ifindex !== 0 && msg.ifindex !== o.ifindex) return this.#drop('wrong-interface', msg.src);
    let payload = msg.data;
    let ttl = msg.hopLimit ?? -1;
    let dst = msg.dst;
    let src = msg.src;
    if (o.family === 4) {
      const ip = parseIpv4Header(msg.data);
      if (!ip.ok) return this.#drop(ip.reason, msg.src);
      if (ip.protocol === IPPROTO_AH) return this.#drop('ah-unsupported', ip.src);
      if (ip.protocol !== IPPROTO_VRRP) return this.#drop('not-vrrp', ip.src);
      ({ payload, ttl, dst, src } = ip);
    }
    if (isSameAddress(src, o.srcAddress)) return this.#drop('own-packet', src);
    const expected = this.isUnicast ? o.srcAddress : o.mcastGroup;
    if (dst !== undefined && !isSameAddress(dst, expected)) return this.#drop('wrong-destination', src);
    if (!this.isUnicast && ttl !== TTL_REQUIRED) return this.#drop('bad-ttl', src);
    // keepalived: the TTL rule is skipped for unicast; check_unicast_src asks for a known peer instead.
    if (this.isUnicast && o.checkUnicastSrc === true && !o.unicastPeers.some((p) => isSameAddress(p, src))) {
      return this.#drop('not-unicast-peer', src);
    }
    const r: DecodeResult = decode(payload, {
      family: o.family,
      srcAddress: src,
      dstAddress: dst ?? expected,
      checksum: o.family === 6 ? 'skip' : 'verify',
      detectOldUnicastChecksum: this.isUnicast,
      ...(o.mcastGroup4 === undefined ? {} : { mcastGroup4: o.mcastGroup4 }),
    });
    if (!r.ok) return this.#drop(r.reason, src);
    this.#handlers.onAdvert(r.advert, src, ttl);
  }
}
