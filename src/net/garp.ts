/**
 * Gratuitous ARP (IPv4 VIPs) and unsolicited neighbour advertisements (IPv6
 * VIPs) through a packet socket, as keepalived sends them (reference §1.10):
 * `repeat` rounds over the addresses, interleaved, back to back; nothing on
 * NOARP interfaces. See docs/adr/001-raw-sockets.md.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IpAddress } from '../config/schema/address.js';
import { ALL_NODES_MAC, BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV6, gratuitousArp, parseMac, unsolicitedNeighbourAdvert } from './frames.js';
import { KaError } from '../lib/errors.js';
import { isValidIfname } from '../lib/ifname.js';
import { openPacketSocket, type PacketSocket } from './native.js';

async function isForwarding(ifname: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/sys/net/ipv6/conf/${ifname}/forwarding`, 'utf8')).trim() === '1';
  } catch {
    return false;
  }
}

/** What a GARP needs to know of an interface. */
export interface GarpLink {
  readonly name: string;
  readonly ifindex: number;
  readonly mac: string;
  readonly isNoArp: boolean;
}

const IFF_NOARP = 0x80; // linux/if.h

/**
 * Reads the interface from /sys/class/net (no process spawned: a takeover's GARP should follow the
 * VIP at once, and garp_master_refresh repeats it). Undefined when the interface does not exist.
 */
export function sysfsLink(name: string, root = '/sys/class/net'): GarpLink | undefined {
  if (!isValidIfname(name)) return undefined;
  try {
    const read = (f: string): string => readFileSync(`${root}/${name}/${f}`, 'utf8').trim();
    const flags = Number.parseInt(read('flags'), 16);
    return { name, ifindex: Number.parseInt(read('ifindex'), 10), mac: read('address'), isNoArp: (flags & IFF_NOARP) !== 0 };
  } catch {
    return undefined;
  }
}

function macOf(text: string): Uint8Array | undefined {
  try {
    return parseMac(text);
  } catch {
    return undefined;
  }
}

/**
 * A send-only packet socket: protocol 0 receives nothing (a socket opened for
 * ETH_P_ARP or ETH_P_IPV6 would queue a copy of every such frame on the host);
 * each frame names its ethertype when it is sent.
 */
function openSendSocket(): PacketSocket {
  try {
    return openPacketSocket(0);
  } catch (e) {
    throw new KaError('KA_ERR_RAW_SOCKET', 'cannot open a packet socket for gratuitous ARP/NA', { cause: e });
  }
}

export class GarpSender {
  readonly #link: (name: string) => GarpLink | undefined;
  #arp: PacketSocket | undefined;
  #ipv6: PacketSocket | undefined;
  #sent = 0;

  constructor(link: (name: string) => GarpLink | undefined = sysfsLink) {
    this.#link = link;
  }

  get sent(): number {
    return this.#sent;
  }

  async send(addresses: readonly IpAddress[], defaultDev: string, repeat: number): Promise<void> {
    const frames: Array<{ socket: PacketSocket; ifindex: number; mac: Uint8Array; ethertype: number; frame: Uint8Array }> = [];
    for (const a of addresses) {
      const link = this.#link(a.dev ?? defaultDev);
      if (link === undefined || link.isNoArp) continue;
      // keepalived sends GARP/NA on Ethernet-like links only; an empty (tun) or longer
      // (InfiniBand) hardware address gets none, without stopping the other VIPs' frames.
      const mac = macOf(link.mac);
      if (mac === undefined) continue;
      if (a.family === 'inet') {
        this.#arp ??= openSendSocket();
        frames.push({ socket: this.#arp, ifindex: link.ifindex, mac: BROADCAST_MAC, ethertype: ETHERTYPE_ARP, frame: gratuitousArp(mac, a.address) });
      } else {
        this.#ipv6 ??= openSendSocket();
        const frame = unsolicitedNeighbourAdvert(mac, a.address, await isForwarding(link.name));
        frames.push({ socket: this.#ipv6, ifindex: link.ifindex, mac: ALL_NODES_MAC, ethertype: ETHERTYPE_IPV6, frame });
      }
    }
    for (let i = 0; i < repeat; i++) {
      for (const f of frames) {
        try {
          f.socket.send(f.ifindex, f.mac, f.ethertype, f.frame);
        } catch (e) {
          throw new KaError('KA_ERR_RAW_SOCKET', `cannot send a gratuitous ARP/NA on interface index ${f.ifindex}`, { cause: e });
        }
        this.#sent++;
      }
    }
  }

  close(): void {
    this.#arp?.close();
    this.#ipv6?.close();
    this.#arp = undefined;
    this.#ipv6 = undefined;
  }
}
