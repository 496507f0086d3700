/**
 * The ka_net addon against a real kernel: two hosts of the integration lab (lab.ts: a bridge namespace,
 * and one namespace per host with eth0 on the bridge; 192.0.2.1/24 and 192.0.2.2/24). A socket lives in
 * the netns of the process that opens it, so every socket is opened by a child process run in a host's
 * namespace: `node --import tsx fixtures/raw-socket-child.mjs SPEC`. The lab's exit hook and
 * sweepStaleLabs() remove the namespaces if this worker dies. Needs root, iproute2 with `ip netns`, and
 * `npm run build:native`. Nothing is sent outside the lab.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab, type LabHost, type LabProcess, sweepStaleLabs } from './lab.js';

const childScript = path.join(import.meta.dirname, 'fixtures/raw-socket-child.mjs');
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

interface LinkInfo {
  ifindex: number;
  mac: string;
  linkLocal: string;
}

/** eth0 of a lab host (createLab waited for its link-local address to be usable). */
function linkInfo(ns: string): LinkInfo {
  const [link] = JSON.parse(sh(['ip', '-n', ns, '-j', 'addr', 'show', 'dev', 'eth0'])) as {
    ifindex: number;
    address: string;
    addr_info?: { family: string; scope: string; local: string }[];
  }[];
  const ll = link?.addr_info?.find((x) => x.family === 'inet6' && x.scope === 'link')?.local;
  if (link === undefined || ll === undefined) throw new Error(`no eth0 with a link-local address in ${ns}`);
  return { ifindex: link.ifindex, mac: link.address, linkLocal: ll };
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

const children = new Set<LabProcess>();

/** A raw-socket-child.mjs process in a lab host; its stdout is JSON event lines. */
class Child {
  private readonly proc: LabProcess;

  constructor(host: LabHost, spec: Record<string, unknown>) {
    this.proc = host.spawn([process.execPath, '--import', 'tsx', childScript, JSON.stringify(spec)]);
    children.add(this.proc);
    void this.proc.exited.then(() => children.delete(this.proc));
  }

  private lines(): string[] {
    return this.proc.output().split('\n').filter((l) => l !== '');
  }

  get events(): ChildEvent[] {
    return this.lines()
      .filter((l) => l.startsWith('{"event":'))
      .map((l) => JSON.parse(l) as ChildEvent);
  }

  /** Everything that is not an event line (stderr, mostly). */
  get stderr(): string {
    return this.lines()
      .filter((l) => !l.startsWith('{"event":'))
      .join('\n');
  }

  /** Exit status of the child (`ip netns exec` passes it on). */
  get exited(): Promise<number | null> {
    return this.proc.exited.then((r) => r.code);
  }

  waitForOutput(re: RegExp, timeoutMs = 8_000): Promise<void> {
    return this.proc.waitForOutput(re, timeoutMs);
  }

  /** The first event named `name` (already seen or still to come); an 'error' or 'timeout' event fails. */
  async next(name: string, timeoutMs = 8_000): Promise<ChildEvent> {
    const fail = (): Error => new Error(`child never sent '${name}': ${JSON.stringify(this.events)} stderr: ${this.stderr}`);
    await this.proc.waitForOutput(new RegExp(`^\\{"event":"(${name}|error|timeout)"`, 'm'), timeoutMs).catch(() => {
      throw fail();
    });
    const ev = this.events.find((e) => e.event === name);
    if (ev === undefined) throw fail();
    return ev;
  }

  messages(): WireMessage[] {
    return this.events.filter((e) => e.event === 'message').map((e) => e.msg as WireMessage);
  }
}

const run = (host: LabHost, spec: Record<string, unknown>): Child => new Child(host, spec);

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
  let lab: Lab<'a' | 'b'>;
  let a: LinkInfo;
  let b: LinkInfo;

  beforeAll(async () => {
    sweepStaleLabs();
    lab = await createLab({ a: { address4: '192.0.2.1/24' }, b: { address4: '192.0.2.2/24' } });
    a = linkInfo(lab.hosts.a.ns);
    b = linkInfo(lab.hosts.b.ns);
  }, 30_000);

  afterEach(() => {
    for (const c of children) c.kill('SIGKILL', 'group');
  });

  afterAll(async () => {
    await lab?.close();
  });

  const v4Receiver = (marker: string, extra: Record<string, unknown> = {}): Child =>
    run(lab.hosts.b, {
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

  /**
   * A raw IPv4 sender in A with IP_HDRINCL, sending `packets` to 224.0.0.18 out of eth0 (chosen with
   * IP_MULTICAST_IF unless `extra` says otherwise); `moreOpts` are set after IP_HDRINCL.
   */
  const v4Sender =
    (packets: readonly Buffer[], extra: Record<string, unknown> = {}, moreOpts: readonly unknown[][] = []) =>
    (): Child =>
      run(lab.hosts.a, {
        role: 'send',
        family: 4,
        protocol: PROTO_VRRP,
        ifname: 'eth0',
        multicastIf: true,
        opts: [['IPPROTO_IP', 'IP_HDRINCL', 1], ...moreOpts],
        dst: VRRP_GROUP_V4,
        packets: packets.map((p) => p.toString('hex')),
        ...extra,
      });

  it('IPv4 with IP_HDRINCL: TTL 255 arrives intact, with source, ifindex and destination', async () => {
    const marker = nonce();
    const body = vrrpBody(marker);
    const rx = v4Receiver(marker);
    const [tx] = await exchange(rx, v4Sender([vrrpV4(marker)], { groups: [VRRP_GROUP_V4], listenMs: 300 }, [['IPPROTO_IP', 'IP_MULTICAST_LOOP', 0]]));
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
    // IP_PKTINFO on sendmsg picks eth0 here, not IP_MULTICAST_IF.
    const [tx] = await exchange(rx, v4Sender([packet], { groups: [VRRP_GROUP_V4], multicastIf: false, useIfindex: true, listenMs: 300 }));
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
    await exchange(rx, v4Sender([packet, packet, packet], { intervalMs: 50 }));
    expect((await rx.next('paused')).stoppedCalls).toBe(0);
    expect((await rx.next('done')).count).toBe(3);
    // One message, then silence while stopped, then the two that queued in the kernel meanwhile.
    expect(rx.events.map((e) => e.event)).toEqual(['ready', 'message', 'paused', 'message', 'message', 'done']);
    expect(await rx.exited).toBe(0);
  }, 30_000);

  it('IPv6: link-local to ff02::12 with IPV6_CHECKSUM at offset 6; hop limit from ancillary data', async () => {
    const marker = nonce();
    const checksumOpt = ['IPPROTO_IPV6', 'IPV6_CHECKSUM', 6];
    const rx = run(lab.hosts.b, {
      role: 'recv',
      family: 6,
      protocol: PROTO_VRRP,
      ifname: 'eth0',
      groups: [VRRP_GROUP_V6],
      opts: [['IPPROTO_IPV6', 'IPV6_RECVPKTINFO', 1], ['IPPROTO_IPV6', 'IPV6_RECVHOPLIMIT', 1], checksumOpt],
      match: marker,
    });
    const sender = (hops: number, tail: string, withChecksum: boolean) => () =>
      run(lab.hosts.a, {
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
    const rx = run(lab.hosts.b, { role: 'packet-recv', ethertype: ETH_P_ARP, ifname: 'eth0', match: frame.toString('hex') });
    await exchange(rx, () =>
      run(lab.hosts.a, {
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
    const rx = v4Receiver(marker, { throwInHandler: 'kts-handler-boom' });
    await exchange(rx, v4Sender([vrrpV4(marker)]));
    expect(await rx.exited).toBe(1);
    await rx.waitForOutput(/kts-handler-boom/);
  }, 30_000);

  it('errors keep code/errno/syscall; close() twice is harmless; a closed socket refuses use', async () => {
    const child = run(lab.hosts.a, { role: 'socket-errors', protocol: PROTO_VRRP });
    const { results } = (await child.next('results')) as unknown as { results: Record<string, unknown> };
    expect(results).toEqual({
      bindToDevice: { threw: true, code: 'ENODEV', syscall: 'setsockopt', errno: 'number' },
      joinGroup: expect.objectContaining({ threw: true, code: 'ERR_INVALID_IP_ADDRESS' }),
      setInt: { threw: false },
      start: { threw: false },
      startAgain: expect.objectContaining({ threw: true, code: 'ERR_SOCKET_STARTED' }),
      close: { threw: false },
      closeAgain: { threw: false },
      setIntClosed: expect.objectContaining({ threw: true, code: 'ERR_SOCKET_CLOSED' }),
      ifIndexMissing: 0,
      badProtocol: expect.objectContaining({ threw: true, code: 'ERR_OUT_OF_RANGE' }),
    });
    expect(await child.exited).toBe(0);
  }, 30_000);
});
