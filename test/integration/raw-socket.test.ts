/**
 * The ka_net addon against a real kernel: two network namespaces joined by a
 * veth pair (eth0 ↔ eth0, 192.0.2.1/24 ↔ 192.0.2.2/24). A socket lives in the
 * netns of the process that opens it, so each side is a child process run with
 * `ip netns exec NS node --import tsx fixtures/raw-socket-child.mjs SPEC`.
 * Needs root, iproute2 with `ip netns`, and `npm run build:native`.
 * Nothing is sent outside the two namespaces.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ifIndex, openRawSocket, sockopt } from '../../src/net/native.js';

const root = path.resolve(import.meta.dirname, '../..');
const childScript = path.join(import.meta.dirname, 'fixtures/raw-socket-child.mjs');
const nsA = `kts-rs-${process.pid}-a`;
const nsB = `kts-rs-${process.pid}-b`;
const VRRP_GROUP_V4 = '224.0.0.18';
const VRRP_GROUP_V6 = 'ff02::12';
const PROTO_VRRP = 112;
const ETH_P_ARP = 0x0806;

function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.getuid?.() !== 0) return 'needs root (raw sockets, ip netns)';
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return '`ip netns` is unavailable';
  return undefined;
}
const skip = skipReason();
if (skip) console.warn(`raw-socket integration test skipped: ${skip}`);

// ---------- shell helpers ----------

function sh(argv: readonly string[]): string {
  const r = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

const trySh = (argv: readonly string[]): void => void spawnSync(argv[0] ?? '', argv.slice(1));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LinkInfo {
  ifindex: number;
  mac: string;
  linkLocal: string;
}

async function linkInfo(ns: string): Promise<LinkInfo> {
  const links = JSON.parse(sh(['ip', '-n', ns, '-j', 'link', 'show', 'dev', 'eth0'])) as { ifindex: number; address: string }[];
  const [link] = links;
  if (!link) throw new Error(`no eth0 in ${ns}`);
  // Wait for the link-local address to leave the tentative state (DAD is off, but it still takes a moment).
  for (let i = 0; i < 100; i++) {
    const [addrs] = JSON.parse(sh(['ip', '-n', ns, '-j', '-6', 'addr', 'show', 'dev', 'eth0', 'scope', 'link'])) as {
      addr_info: { local: string; tentative?: boolean }[];
    }[];
    const ll = addrs?.addr_info.find((a) => !a.tentative);
    if (ll) return { ifindex: link.ifindex, mac: link.address, linkLocal: ll.local };
    await sleep(50);
  }
  throw new Error(`no usable link-local address on eth0 in ${ns}`);
}

// ---------- child processes ----------

interface ChildEvent {
  event: string;
  [key: string]: unknown;
}
interface WireMessage {
  data: string;
  src: string;
  ifindex: number;
  dst?: string;
  hopLimit?: number;
  packetType?: number;
}

const children = new Set<ChildProcess>();

class Child {
  readonly events: ChildEvent[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly proc: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(ns: string, spec: Record<string, unknown>) {
    const argv = ['netns', 'exec', ns, process.execPath, '--import', 'tsx', childScript, JSON.stringify(spec)];
    this.proc = spawn('ip', argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(this.proc);
    this.proc.stderr?.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ChildEvent);
      } catch {
        this.stderr += `[stdout] ${line}\n`;
      }
      for (const w of this.waiters) w();
    });
    this.exited = new Promise((resolve) =>
      this.proc.on('close', (code) => {
        children.delete(this.proc);
        for (const w of this.waiters) w();
        resolve(code);
      }),
    );
  }

  /** The first event named `name` (already seen or still to come). */
  async next(name: string, timeoutMs = 8_000): Promise<ChildEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ev = this.events.find((e) => e.event === name);
      if (ev) return ev;
      const bad = this.events.find((e) => e.event === 'error' || e.event === 'timeout');
      if (bad || this.proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`child never sent '${name}': ${JSON.stringify(this.events)} stderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  messages(): WireMessage[] {
    return this.events.filter((e) => e.event === 'message').map((e) => e.msg as WireMessage);
  }
}

const run = (ns: string, spec: Record<string, unknown>): Child => new Child(ns, spec);

/** Starts a receiver, waits until its socket is set up, then runs each sender to completion. */
async function exchange(receiver: Child, ...senders: (() => Child)[]): Promise<Child[]> {
  await receiver.next('ready');
  const done: Child[] = [];
  for (const make of senders) {
    const s = make();
    await s.next('sent');
    expect(await s.exited).toBe(0);
    done.push(s);
  }
  return done;
}

// ---------- packet building ----------

let nonceSeq = 0;
/** A unique 6-byte marker so each test only matches its own packets. */
const nonce = (): string =>
  (process.pid.toString(16).padStart(6, '0') + (++nonceSeq).toString(16).padStart(6, '0')).slice(-12);

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const v4 = (a: string): number[] => a.split('.').map(Number);

/** A 20-byte IPv4 header with total length, ID and checksum left 0 (the kernel fills them). */
function ipv4Header(o: { ttl: number; src: string; dst: string; protocol: number; dontFragment?: boolean }): Buffer {
  return Buffer.from([
    0x45, 0xc0, 0, 0, // version/IHL, TOS (internetwork control, as keepalived), total length
    0, 0, o.dontFragment ? 0x40 : 0, 0, // ID, flags/fragment offset
    o.ttl, o.protocol, 0, 0, // TTL, protocol, header checksum
    ...v4(o.src),
    ...v4(o.dst),
  ]);
}

/** A VRRPv3-shaped body (checksum 0) followed by the test's marker. */
const vrrpBody = (marker: string): Buffer =>
  Buffer.concat([Buffer.from('31016401006400000000', 'hex'), Buffer.from(marker, 'hex')]);

/** IPv4 header + VRRP-shaped body, to 224.0.0.18. */
const vrrpV4 = (marker: string, o: { ttl?: number; src?: string; dontFragment?: boolean } = {}): Buffer =>
  Buffer.concat([
    ipv4Header({ ttl: 255, src: '192.0.2.1', dst: VRRP_GROUP_V4, protocol: PROTO_VRRP, ...o }),
    vrrpBody(marker),
  ]);

function ipv6PseudoChecksum(src: string, dst: string, protocol: number, payload: Buffer): number {
  const addr = (a: string): Buffer => {
    const [head = '', tail = ''] = a.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
  };
  const len = Buffer.alloc(4);
  len.writeUInt32BE(payload.length);
  const pseudo = Buffer.concat([addr(src), addr(dst), len, Buffer.from([0, 0, 0, protocol]), payload]);
  return checksum(pseudo);
}

// ---------- tests ----------

describe.skipIf(skip !== undefined)(`native raw sockets in network namespaces${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let a: LinkInfo;
  let b: LinkInfo;

  beforeAll(async () => {
    try {
      for (const ns of [nsA, nsB]) {
        sh(['ip', 'netns', 'add', ns]);
        // No DAD, so the IPv6 link-local addresses are usable at once.
        const noDad = ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'];
        trySh(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', ...noDad]);
        sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      }
      sh(['ip', '-n', nsA, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', nsB]);
      sh(['ip', '-n', nsA, 'addr', 'add', '192.0.2.1/24', 'dev', 'eth0']);
      sh(['ip', '-n', nsB, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth0']);
      sh(['ip', '-n', nsA, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', nsB, 'link', 'set', 'eth0', 'up']);
      a = await linkInfo(nsA);
      b = await linkInfo(nsB);
    } catch (err) {
      for (const ns of [nsA, nsB]) trySh(['ip', 'netns', 'del', ns]);
      throw err;
    }
  }, 30_000);

  afterEach(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    for (const ns of [nsA, nsB]) trySh(['ip', 'netns', 'del', ns]);
  });

  const v4Receiver = (marker: string, extra: Record<string, unknown> = {}): Child =>
    run(nsB, {
      role: 'recv',
      family: 4,
      protocol: PROTO_VRRP,
      ifname: 'eth0',
      groups: [VRRP_GROUP_V4],
      bindToDevice: true,
      opts: [['IPPROTO_IP', 'IP_PKTINFO', 1]],
      match: marker,
      ...extra,
    });

  it('IPv4 with IP_HDRINCL: TTL 255 arrives intact, with source, ifindex and destination', async () => {
    const marker = nonce();
    const body = vrrpBody(marker);
    const packet = vrrpV4(marker);
    const rx = v4Receiver(marker);
    const [tx] = await exchange(rx, () =>
      run(nsA, {
        role: 'send',
        family: 4,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        groups: [VRRP_GROUP_V4],
        multicastIf: true,
        opts: [
          ['IPPROTO_IP', 'IP_HDRINCL', 1],
          ['IPPROTO_IP', 'IP_MULTICAST_LOOP', 0],
        ],
        dst: VRRP_GROUP_V4,
        packets: [packet.toString('hex')],
        listenMs: 300,
      }),
    );
    await rx.next('message');
    const [msg] = rx.messages();
    const data = Buffer.from(msg?.data ?? '', 'hex');
    expect(msg).toMatchObject({ src: '192.0.2.1', dst: VRRP_GROUP_V4, ifindex: b.ifindex });
    expect(data[8]).toBe(255); // TTL
    expect(data[9]).toBe(PROTO_VRRP);
    expect(data.readUInt16BE(2)).toBe(data.length); // the kernel filled in the total length...
    expect(checksum(data.subarray(0, 20))).toBe(0); // ...and a valid header checksum
    expect(data.subarray(20)).toEqual(body);
    // The sender joined the group, but IP_MULTICAST_LOOP=0 kept its own packet from coming back.
    expect(tx?.events.find((e) => e.event === 'sent')?.looped).toEqual([]);
    expect(await rx.exited).toBe(0);
  }, 30_000);

  it('IPv4 with IP_HDRINCL: TTL 254 arrives as 254; source 0 is filled in; multicast loop is on by default', async () => {
    const marker = nonce();
    const packet = vrrpV4(marker, { ttl: 254, src: '0.0.0.0', dontFragment: true });
    const rx = v4Receiver(marker);
    const [tx] = await exchange(rx, () =>
      run(nsA, {
        role: 'send',
        family: 4,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        groups: [VRRP_GROUP_V4],
        opts: [['IPPROTO_IP', 'IP_HDRINCL', 1]],
        useIfindex: true, // IP_PKTINFO on sendmsg picks eth0 (no IP_MULTICAST_IF here)
        dst: VRRP_GROUP_V4,
        packets: [packet.toString('hex')],
        listenMs: 300,
      }),
    );
    await rx.next('message');
    const [msg] = rx.messages();
    const data = Buffer.from(msg?.data ?? '', 'hex');
    expect(msg).toMatchObject({ src: '192.0.2.1', ifindex: b.ifindex });
    expect(data[8]).toBe(254);
    expect(data.subarray(12, 16)).toEqual(Buffer.from([192, 0, 2, 1]));
    const looped = (tx?.events.find((e) => e.event === 'sent')?.looped ?? []) as WireMessage[];
    expect(looped).toHaveLength(1);
    expect(looped[0]?.data).toBe(msg?.data);
  }, 30_000);

  it('stop() inside the handler silences the socket; start() again drains what queued meanwhile', async () => {
    const marker = nonce();
    const packet = vrrpV4(marker);
    const rx = v4Receiver(marker, { stopAfterFirst: { pauseMs: 600 }, count: 3 });
    await exchange(rx, () =>
      run(nsA, {
        role: 'send',
        family: 4,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        multicastIf: true,
        opts: [['IPPROTO_IP', 'IP_HDRINCL', 1]],
        dst: VRRP_GROUP_V4,
        packets: [packet, packet, packet].map((p) => p.toString('hex')),
        intervalMs: 50,
      }),
    );
    expect((await rx.next('paused')).stoppedCalls).toBe(0);
    expect((await rx.next('done')).count).toBe(3);
    // One message, then silence while stopped, then the two that queued in the kernel meanwhile.
    expect(rx.events.map((e) => e.event)).toEqual(['ready', 'message', 'paused', 'message', 'message', 'done']);
    expect(await rx.exited).toBe(0);
  }, 30_000);

  it('IPv6: link-local to ff02::12 with IPV6_CHECKSUM at offset 6; hop limit from ancillary data', async () => {
    const marker = nonce();
    const checksumOpt = ['IPPROTO_IPV6', 'IPV6_CHECKSUM', 6];
    const rx = run(nsB, {
      role: 'recv',
      family: 6,
      protocol: PROTO_VRRP,
      ifname: 'eth0',
      groups: [VRRP_GROUP_V6],
      opts: [['IPPROTO_IPV6', 'IPV6_RECVPKTINFO', 1], ['IPPROTO_IPV6', 'IPV6_RECVHOPLIMIT', 1], checksumOpt],
      match: marker,
    });
    const sender = (hops: number, tail: string, withChecksum: boolean) => () =>
      run(nsA, {
        role: 'send',
        family: 6,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        multicastIf: true,
        useIfindex: true,
        opts: [
          ['IPPROTO_IPV6', 'IPV6_MULTICAST_HOPS', hops],
          ['IPPROTO_IPV6', 'IPV6_MULTICAST_LOOP', 0],
          ...(withChecksum ? [checksumOpt] : []),
        ],
        bindAddress: a.linkLocal,
        dst: VRRP_GROUP_V6,
        packets: [vrrpBody(marker + tail).toString('hex')],
      });
    // First a packet whose checksum nobody fills in: the receiver's IPV6_CHECKSUM makes the kernel drop it.
    await exchange(rx, sender(7, '00', false), sender(255, '01', true));
    await rx.next('message');
    const [msg] = rx.messages();
    const data = Buffer.from(msg?.data ?? '', 'hex');
    expect(msg).toMatchObject({ src: a.linkLocal, dst: VRRP_GROUP_V6, ifindex: b.ifindex, hopLimit: 255 });
    expect(data.subarray(-1)).toEqual(Buffer.from([1]));
    expect(data.readUInt16BE(6)).not.toBe(0);
    expect(ipv6PseudoChecksum(a.linkLocal, VRRP_GROUP_V6, PROTO_VRRP, data)).toBe(0);
    expect(await rx.exited).toBe(0);
  }, 30_000);

  it('AF_PACKET: a broadcast ARP frame sent from A is seen in B', async () => {
    const mac = Buffer.from(a.mac.replaceAll(':', ''), 'hex');
    const spa = Buffer.from([192, 0, 2, 1]);
    // Gratuitous ARP request: htype 1, ptype IPv4, hlen 6, plen 4, op 1, sha, spa, tha 0, tpa = spa.
    const frame = Buffer.concat([Buffer.from('0001080006040001', 'hex'), mac, spa, Buffer.alloc(6), spa]);
    const rx = run(nsB, { role: 'packet-recv', ethertype: ETH_P_ARP, ifname: 'eth0', match: frame.toString('hex') });
    await exchange(rx, () =>
      run(nsA, {
        role: 'packet-send',
        openEthertype: 0, // send-only: receives nothing
        ethertype: ETH_P_ARP,
        ifname: 'eth0',
        dstMac: 'ff:ff:ff:ff:ff:ff',
        frame: frame.toString('hex'),
      }),
    );
    const msg = (await rx.next('message')).msg as WireMessage;
    expect(msg).toMatchObject({ src: a.mac, ifindex: b.ifindex, packetType: 1 /* PACKET_BROADCAST */ });
    expect(msg.data).toBe(frame.toString('hex'));
    expect(await rx.exited).toBe(0);
  }, 30_000);

  it('an exception in the message handler is not swallowed: the child dies with it', async () => {
    const marker = nonce();
    const packet = vrrpV4(marker);
    const rx = v4Receiver(marker, { throwInHandler: 'kts-handler-boom' });
    await exchange(rx, () =>
      run(nsA, {
        role: 'send',
        family: 4,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        multicastIf: true,
        opts: [['IPPROTO_IP', 'IP_HDRINCL', 1]],
        dst: VRRP_GROUP_V4,
        packets: [packet.toString('hex')],
      }),
    );
    expect(await rx.exited).toBe(1);
    expect(rx.stderr).toContain('kts-handler-boom');
  }, 30_000);

  it('errors keep code/errno/syscall; close() twice is harmless; a closed socket refuses use', () => {
    const sock = openRawSocket(4, PROTO_VRRP); // in the test's own netns: nothing is sent
    try {
      expect(() => sock.bindToDevice('kts-nonexist0')).toThrow(
        expect.objectContaining({ code: 'ENODEV', syscall: 'setsockopt', errno: expect.any(Number) }),
      );
      expect(() => sock.joinGroup('224.0.0.300', 0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_IP_ADDRESS' }));
      sock.setInt(sockopt.IPPROTO_IP, sockopt.IP_PKTINFO, 1);
      sock.start(() => undefined);
      expect(() => sock.start(() => undefined)).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_STARTED' }));
    } finally {
      sock.close();
    }
    expect(() => sock.close()).not.toThrow();
    expect(() => sock.setInt(sockopt.IPPROTO_IP, sockopt.IP_PKTINFO, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_SOCKET_CLOSED' }),
    );
    expect(ifIndex('kts-nonexist0')).toBe(0);
    expect(() => openRawSocket(4, 300)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
  });
});
