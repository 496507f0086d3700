/**
 * Opens the raw IP-protocol-112 socket of one VRRP instance the way keepalived
 * does (reference §1.5): bound to the device, IPv4 with IP_HDRINCL (we write
 * the header, TTL 255 included), multicast loop off, IP_MULTICAST_ALL off,
 * joined to the group; IPv6 with the kernel computing and checking the
 * checksum at offset 6 (IPV6_CHECKSUM), hop limit 255, hop limit and
 * destination reported per packet. One socket sends and receives.
 */
import { KaError } from '../lib/errors.js';
import { IPPROTO_VRRP } from '../vrrp/packet.js';
import { openRawSocket, sockopt, type RawSocket } from './native.js';
import { VrrpChannel, type ChannelHandlers, type ChannelOptions, type RawIo } from './vrrp-channel.js';

const VRRP_CHECKSUM_OFFSET = 6; // RFC 5798 §5.2.8

function configure(s: RawSocket, o: ChannelOptions & { readonly ifname: string }): void {
  s.bindToDevice(o.ifname);
  const isUnicast = o.unicastPeers.length > 0;
  if (o.family === 4) {
    s.setInt(sockopt.IPPROTO_IP, sockopt.IP_HDRINCL, 1);
    s.setInt(sockopt.IPPROTO_IP, sockopt.IP_MULTICAST_LOOP, 0);
    s.setInt(sockopt.IPPROTO_IP, sockopt.IP_MULTICAST_ALL, 0);
    s.setInt(sockopt.IPPROTO_IP, sockopt.IP_PKTINFO, 1);
    s.setMulticastInterface(o.ifindex);
    if (!isUnicast) s.joinGroup(o.mcastGroup, o.ifindex);
  } else {
    s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_CHECKSUM, VRRP_CHECKSUM_OFFSET);
    s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_MULTICAST_HOPS, 255);
    s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_MULTICAST_LOOP, 0);
    s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_RECVPKTINFO, 1);
    s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_RECVHOPLIMIT, 1);
    if (o.unicastTtl !== undefined) s.setInt(sockopt.IPPROTO_IPV6, sockopt.IPV6_UNICAST_HOPS, o.unicastTtl);
    s.setMulticastInterface(o.ifindex);
    if (!isUnicast) s.joinGroup(o.mcastGroup, o.ifindex);
    // The source of our adverts: the link-local (or configured) address.
    s.bind(o.srcAddress, o.ifindex);
  }
}

function rawIo(s: RawSocket): RawIo {
  return {
    send: (data, dst, opts) => s.send(data, dst, opts),
    start: (fn, onError) => s.start(fn, onError),
    close: () => s.close(),
  };
}

/** Opens and configures the socket; failures (no CAP_NET_RAW, no such device) become KA_ERR_RAW_SOCKET. */
export function openVrrpChannel(o: ChannelOptions & { readonly ifname: string }, handlers: ChannelHandlers): VrrpChannel {
  let s: RawSocket | undefined;
  try {
    s = openRawSocket(o.family, IPPROTO_VRRP);
    configure(s, o);
    // The channel starts polling the socket: a failure there must close it too.
    return new VrrpChannel(rawIo(s), o, handlers);
  } catch (e) {
    s?.close();
    throw new KaError('KA_ERR_RAW_SOCKET', `cannot open VRRP socket on ${o.ifname}`, { cause: e });
  }
}
