/**
 * Gratuitous ARP (IPv4 VIPs) and unsolicited neighbour advertisements (IPv6
 * VIPs) through a packet socket, as keepalived sends them (reference §1.10):
 * `repeat` rounds over the addresses, interleaved, back to back; nothing on
 * NOARP interfaces. See docs/adr/001-raw-sockets.md.
 */
import { readFile } from 'node:fs/promises';
import type { IpAddress } from '../config/schema/address.js';
import type { LinkFacts } from './addresses.js';
import { ALL_NODES_MAC, BROADCAST_MAC, ETHERTYPE_ARP, ETHERTYPE_IPV6, gratuitousArp, parseMac, unsolicitedNeighbourAdvert } from './frames.js';
import { openPacketSocket, type PacketSocket } from './native.js';

async function isForwarding(ifname: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/sys/net/ipv6/conf/${ifname}/forwarding`, 'utf8')).trim() === '1';
  } catch {
    return false;
  }
}

export class GarpSender {
  readonly #links: () => Promise<LinkFacts[]>;
  #arp: PacketSocket | undefined;
  #ipv6: PacketSocket | undefined;
  #sent = 0;

  constructor(links: () => Promise<LinkFacts[]>) {
    this.#links = links;
  }

  get sent(): number {
    return this.#sent;
  }

  async send(addresses: readonly IpAddress[], defaultDev: string, repeat: number): Promise<void> {
    const links = await this.#links();
    const frames: Array<{ socket: PacketSocket; ifindex: number; mac: Uint8Array; ethertype: number; frame: Uint8Array }> = [];
    for (const a of addresses) {
      const link = links.find((l) => l.name === (a.dev ?? defaultDev));
      if (link === undefined || link.mac === undefined || link.isNoArp) continue;
      const mac = parseMac(link.mac);
      if (a.family === 'inet') {
        this.#arp ??= openPacketSocket(ETHERTYPE_ARP);
        frames.push({ socket: this.#arp, ifindex: link.ifindex, mac: BROADCAST_MAC, ethertype: ETHERTYPE_ARP, frame: gratuitousArp(mac, a.address) });
      } else {
        this.#ipv6 ??= openPacketSocket(ETHERTYPE_IPV6);
        const frame = unsolicitedNeighbourAdvert(mac, a.address, await isForwarding(link.name));
        frames.push({ socket: this.#ipv6, ifindex: link.ifindex, mac: ALL_NODES_MAC, ethertype: ETHERTYPE_IPV6, frame });
      }
    }
    for (let i = 0; i < repeat; i++) {
      for (const f of frames) {
        f.socket.send(f.ifindex, f.mac, f.ethertype, f.frame);
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
