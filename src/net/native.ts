/**
 * Raw IP and AF_PACKET sockets through the in-repo N-API addon (`native/ka_net.c`).
 *
 * The addon maps one-to-one onto syscalls and decides nothing; this module
 * only types it, keeps a closed socket from touching a reused fd, and turns
 * readability into drained messages. Failures are Node-style system errors
 * (`NodeJS.ErrnoException`: `code` 'EPERM', `errno` -1, `syscall` 'socket').
 * Linux only; opening a socket needs CAP_NET_RAW.
 */
import { createRequire } from 'node:module';

/** One datagram as the kernel delivered it. */
export interface RawMessage {
  /** IPv4 raw: the whole datagram, IP header included. IPv6 raw: the payload only. Packet: the frame minus its link header. */
  readonly data: Buffer;
  /** Source address: IPv4/IPv6 text, or the sender's MAC (`aa:bb:cc:dd:ee:ff`) on a packet socket. */
  readonly src: string;
  /** Receiving interface (from IP_PKTINFO/IPV6_PKTINFO, or sockaddr_ll); 0 when the kernel did not say. */
  readonly ifindex: number;
  /** Destination address of the datagram; needs IP_PKTINFO (IPv4) or IPV6_RECVPKTINFO (IPv6). */
  readonly dst?: string;
  /** TTL/hop limit from ancillary data; needs IP_RECVTTL (IPv4) or IPV6_RECVHOPLIMIT (IPv6). */
  readonly hopLimit?: number;
  /** Packet sockets only: sll_pkttype (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing). */
  readonly packetType?: number;
}

/** Called with each received message. */
export type MessageHandler = (msg: RawMessage) => void;
/** Called when receiving fails; without one the error is thrown as an uncaught exception. */
export type ErrorHandler = (err: NodeJS.ErrnoException) => void;

/** Socket option levels and names (Linux values, read from the addon). */
const SOCKOPT_NAMES = [
  'SOL_SOCKET',
  'SO_RCVBUF',
  'SO_SNDBUF',
  'SO_PRIORITY',
  'IPPROTO_IP',
  'IPPROTO_IPV6',
  'IPPROTO_RAW',
  'IPPROTO_ICMPV6',
  'IP_HDRINCL',
  'IP_TTL',
  'IP_TOS',
  'IP_PKTINFO',
  'IP_RECVTTL',
  'IP_MULTICAST_TTL',
  'IP_MULTICAST_LOOP',
  'IP_MULTICAST_ALL',
  'IPV6_CHECKSUM',
  'IPV6_UNICAST_HOPS',
  'IPV6_MULTICAST_HOPS',
  'IPV6_MULTICAST_LOOP',
  'IPV6_MULTICAST_ALL',
  'IPV6_RECVPKTINFO',
  'IPV6_RECVHOPLIMIT',
  'IPV6_V6ONLY',
] as const;

/** A name usable with {@link sockopt}. */
export type SockoptName = (typeof SOCKOPT_NAMES)[number];

declare const pollBrand: unique symbol;
type PollHandle = { readonly [pollBrand]: true };

/** The addon's exports, as `native/ka_net.c` defines them. */
interface Binding {
  open(family: 4 | 6 | 'packet', protocol: number): number;
  close(fd: number): void;
  setIntOption(fd: number, level: number, name: number, value: number): void;
  bindToDevice(fd: number, ifname: string): void;
  bind(fd: number, family: 4 | 6, address: string, ifindex: number): void;
  setMulticastInterface(fd: number, family: 4 | 6, ifindex: number): void;
  joinGroup(fd: number, family: 4 | 6, group: string, ifindex: number): void;
  leaveGroup(fd: number, family: 4 | 6, group: string, ifindex: number): void;
  send(fd: number, family: 4 | 6, data: Uint8Array, dst: string, ifindex: number, flags: number): number;
  sendPacket(fd: number, ifindex: number, dstMac: Uint8Array, ethertype: number, frame: Uint8Array): number;
  recv(fd: number): RawMessage | undefined;
  poll(fd: number, callback: (err?: NodeJS.ErrnoException) => void): PollHandle;
  stopPoll(handle: PollHandle): void;
  ifIndex(name: string): number;
  readonly constants: Readonly<Record<string, number>>;
}

/** Must match KA_SEND_DONTROUTE in ka_net.c. */
const SEND_DONTROUTE = 1;
/** Messages handled per wake-up before yielding to the event loop (the poll is level-triggered). */
const MAX_DRAIN_PER_WAKEUP = 64;
/** After a socket error stopped the poll: when to start it again. */
const POLL_RESTART_MS = 100;
const ADDON_PATH = '../../native/build/Release/ka_net.node';

let loaded: Binding | undefined;

/** Loads the addon on first use, so importing this module never needs a build. */
function binding(): Binding {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH) as Binding;
  } catch (cause) {
    throw new Error(`cannot load the ka_net addon (${ADDON_PATH}); run \`npm run build:native\``, { cause });
  }
  return loaded;
}

function constant(name: SockoptName): number {
  const v = binding().constants[name];
  if (typeof v !== 'number') throw new Error(`ka_net addon lacks ${name}; run \`npm run build:native\``);
  return v;
}

/** Socket option levels and names for {@link RawSocket.setInt}; read lazily from the addon. */
export const sockopt: Readonly<Record<SockoptName, number>> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(SOCKOPT_NAMES.map((n) => [n, { enumerable: true, get: () => constant(n) }])),
  ) as Record<SockoptName, number>,
);

function closedError(): NodeJS.ErrnoException {
  return Object.assign(new Error('socket is closed'), { code: 'ERR_SOCKET_CLOSED' });
}

/** Shared fd lifetime and readability handling. */
abstract class PolledSocket {
  #fd: number;
  #poll: PollHandle | undefined;
  #closed = false;
  /** Set between start() and stop()/close(): a poll that libuv stopped on an error is restarted. */
  #wanted = false;

  protected constructor(fd: number) {
    this.#fd = fd;
  }

  get fd(): number {
    return this.#fd;
  }

  /** The fd, or a throw once closed (the number may already belong to another socket). */
  protected live(): number {
    if (this.#closed) throw closedError();
    return this.#fd;
  }

  start(onMessage: MessageHandler, onError?: ErrorHandler): void {
    const fd = this.live();
    if (this.#poll) throw Object.assign(new Error('socket is already started'), { code: 'ERR_SOCKET_STARTED' });
    const b = binding();
    const fail = (err: NodeJS.ErrnoException): void => {
      if (!onError) throw err;
      onError(err);
    };
    this.#wanted = true;
    const handle: PollHandle = b.poll(fd, (pollErr) => {
      if (pollErr) {
        // libuv has stopped this handle and reports EBADF whatever the socket said. A recv
        // takes the socket's own pending error (and clears it); then the poll is started
        // again, a little later so that an error that persists cannot spin the loop.
        this.#halt();
        let err: NodeJS.ErrnoException = pollErr;
        let msg: RawMessage | undefined;
        try {
          msg = b.recv(fd);
        } catch (e) {
          err = e as NodeJS.ErrnoException;
        }
        setTimeout(() => {
          if (this.#wanted && !this.#closed && this.#poll === undefined) this.start(onMessage, onError);
        }, POLL_RESTART_MS);
        if (msg) onMessage(msg);
        else fail(err);
        return;
      }
      for (let i = 0; i < MAX_DRAIN_PER_WAKEUP && this.#poll === handle; i++) {
        let msg: RawMessage | undefined;
        try {
          msg = b.recv(fd);
        } catch (err) {
          fail(err as NodeJS.ErrnoException);
          return;
        }
        if (!msg) return;
        onMessage(msg);
      }
    });
    this.#poll = handle;
  }

  stop(): void {
    this.#wanted = false;
    this.#halt();
  }

  #halt(): void {
    const handle = this.#poll;
    if (!handle) return;
    this.#poll = undefined;
    binding().stopPoll(handle);
  }

  close(): void {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    binding().close(this.#fd);
  }
}

/** Options for {@link RawSocket.send}. */
export interface SendOptions {
  /** Outgoing interface: IPv6 scope id plus an IP_PKTINFO/IPV6_PKTINFO control message. 0 or absent: routing decides. */
  readonly ifindex?: number;
  /** MSG_DONTROUTE: send only to directly connected hosts. */
  readonly dontRoute?: boolean;
}

/** A non-blocking raw IPv4 or IPv6 socket (SOCK_RAW, one IP protocol). */
export interface RawSocket {
  readonly family: 4 | 6;
  readonly fd: number;
  /** setsockopt() with an int value; levels and names from {@link sockopt}. */
  setInt(level: number, name: number, value: number): void;
  /** SO_BINDTODEVICE; an empty name removes the binding. */
  bindToDevice(ifname: string): void;
  /** bind() to a local address (port 0); `ifindex` is the IPv6 scope id for link-local addresses. */
  bind(address: string, ifindex?: number): void;
  /** IP_MULTICAST_IF (struct ip_mreqn) or IPV6_MULTICAST_IF. */
  setMulticastInterface(ifindex: number): void;
  /** IP_ADD_MEMBERSHIP (struct ip_mreqn) or IPV6_JOIN_GROUP on the interface. */
  joinGroup(group: string, ifindex: number): void;
  /** IP_DROP_MEMBERSHIP or IPV6_LEAVE_GROUP. */
  leaveGroup(group: string, ifindex: number): void;
  /** One datagram to `dst`. With IP_HDRINCL, `data` starts with the IPv4 header. Throws EAGAIN when the send buffer is full. */
  send(data: Uint8Array, dst: string, opts?: SendOptions): void;
  /**
   * Calls `onMessage` for every queued datagram whenever the socket is readable.
   * Receive errors go to `onError` (and receiving continues); a poll error goes
   * to `onError` with the socket's own errno, and receiving starts again 100 ms later.
   */
  start(onMessage: MessageHandler, onError?: ErrorHandler): void;
  /** Stops delivering messages; idempotent. No callback runs after it returns. */
  stop(): void;
  /** Stops, then closes the fd; idempotent. */
  close(): void;
}

class NativeRawSocket extends PolledSocket implements RawSocket {
  constructor(
    readonly family: 4 | 6,
    fd: number,
  ) {
    super(fd);
  }

  setInt(level: number, name: number, value: number): void {
    binding().setIntOption(this.live(), level, name, value);
  }

  bindToDevice(ifname: string): void {
    binding().bindToDevice(this.live(), ifname);
  }

  bind(address: string, ifindex = 0): void {
    binding().bind(this.live(), this.family, address, ifindex);
  }

  setMulticastInterface(ifindex: number): void {
    binding().setMulticastInterface(this.live(), this.family, ifindex);
  }

  joinGroup(group: string, ifindex: number): void {
    binding().joinGroup(this.live(), this.family, group, ifindex);
  }

  leaveGroup(group: string, ifindex: number): void {
    binding().leaveGroup(this.live(), this.family, group, ifindex);
  }

  send(data: Uint8Array, dst: string, opts: SendOptions = {}): void {
    const flags = opts.dontRoute ? SEND_DONTROUTE : 0;
    binding().send(this.live(), this.family, data, dst, opts.ifindex ?? 0, flags);
  }
}

/**
 * Opens a raw socket: `socket(AF_INET|AF_INET6, SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC, protocol)`,
 * e.g. protocol 112 for VRRP or 58 for ICMPv6. The socket lives in the calling process's netns.
 */
export function openRawSocket(family: 4 | 6, protocol: number): RawSocket {
  return new NativeRawSocket(family, binding().open(family, protocol));
}

/** A non-blocking AF_PACKET/SOCK_DGRAM socket: the kernel builds the link-layer header. */
export interface PacketSocket {
  readonly fd: number;
  /** Sends `frame` (e.g. an ARP body) to `dstMac` on `ifindex` with the given ethertype. */
  send(ifindex: number, dstMac: Uint8Array, ethertype: number, frame: Uint8Array): void;
  /** As {@link RawSocket.start}; only a socket opened with a non-zero ethertype receives anything. */
  start(onMessage: MessageHandler, onError?: ErrorHandler): void;
  /** Stops delivering messages; idempotent. */
  stop(): void;
  /** Stops, then closes the fd; idempotent. */
  close(): void;
}

class NativePacketSocket extends PolledSocket implements PacketSocket {
  constructor(fd: number) {
    super(fd);
  }

  send(ifindex: number, dstMac: Uint8Array, ethertype: number, frame: Uint8Array): void {
    binding().sendPacket(this.live(), ifindex, dstMac, ethertype, frame);
  }
}

/**
 * Opens `socket(AF_PACKET, SOCK_DGRAM, htons(ethertype))`. The socket receives every
 * frame of that ethertype on every interface (outgoing ones too); pass 0 for a
 * send-only socket that receives nothing.
 */
export function openPacketSocket(ethertype: number): PacketSocket {
  return new NativePacketSocket(binding().open('packet', ethertype));
}

/** if_nametoindex(): the interface's index in the calling process's netns, 0 if there is none. */
export function ifIndex(name: string): number {
  return binding().ifIndex(name);
}
