import { describe, expect, it } from 'vitest';
import { hex, ipv4Packet, toHex } from '../testing/packet-builder.js';
import { keepalivedCaptures } from '../testing/keepalived-captures.js';
import type { Advert } from '../vrrp/advert.js';
import { VrrpChannel, type ChannelDropReason, type ChannelOptions, type RawIo, type RawMessage } from './vrrp-channel.js';

class FakeIo implements RawIo {
  readonly sent: Array<{ data: string; dst: string; ifindex: number; dontRoute: boolean }> = [];
  deliver: (msg: RawMessage) => void = () => {};
  isClosed = false;
  send(data: Uint8Array, dst: string, opts: { ifindex: number; dontRoute: boolean }): void {
    this.sent.push({ data: toHex(data), dst, ...opts });
  }
  start(fn: (msg: RawMessage) => void): void {
    this.deliver = fn;
  }
  close(): void {
    this.isClosed = true;
  }
}

function channel(o: Partial<ChannelOptions> = {}) {
  const io = new FakeIo();
  const adverts: Array<{ advert: Advert; from: string; ttl: number }> = [];
  const drops: ChannelDropReason[] = [];
  const ch = new VrrpChannel(
    io,
    { family: 4, ifindex: 2, srcAddress: '192.0.2.12', mcastGroup: '224.0.100.100', unicastPeers: [], ...o },
    { onAdvert: (advert, from, ttl) => adverts.push({ advert, from, ttl }), onDrop: (r) => drops.push(r) },
  );
  return { io, ch, adverts, drops };
}

const lab = keepalivedCaptures.filter((c) => c.name.startsWith('v2 PASS "123456"'));
const labMaster = lab.find((c) => c.advert.priority === 150);
const unicast = keepalivedCaptures.filter((c) => c.name.startsWith('v3 IPv4 unicast, vrid 53'));
if (labMaster?.ip === undefined || unicast.length !== 4) throw new Error('captures missing');

describe('VrrpChannel send', () => {
  it('frames an advert byte for byte as keepalived 2.2.7 does (lab capture, IP ID 1)', () => {
    const { io, ch } = channel({ srcAddress: '192.0.2.11' });
    ch.send(labMaster.advert);
    expect(io.sent).toEqual([{ data: labMaster.ip, dst: '224.0.100.100', ifindex: 2, dontRoute: true }]);
  });

  it('sends one copy per unicast peer with one IP ID per round and per-peer v3 checksums', () => {
    const { io, ch } = channel({ srcAddress: '192.0.2.11', unicastPeers: ['192.0.2.12', '192.0.2.13'] });
    const first = unicast.filter((c) => c.advert.priority === 255);
    ch.send(first[0]?.advert as Advert);
    expect(io.sent.map((s) => [s.data, s.dst, s.dontRoute])).toEqual(first.map((c) => [c.ip, c.dst, false]));
  });

  it('counts IP IDs up from 1 and skips 0 on wrap', () => {
    const ids: number[] = [];
    const io: RawIo = { send: (d) => ids.push(((d[4] ?? 0) << 8) | (d[5] ?? 0)), start: () => {}, close: () => {} };
    const ch = new VrrpChannel(io, { family: 4, ifindex: 2, srcAddress: '192.0.2.11', mcastGroup: '224.0.100.100', unicastPeers: [] }, { onAdvert: () => {}, onDrop: () => {} });
    for (let i = 0; i < 0x10000; i++) ch.send(labMaster.advert);
    expect([ids[0], ids[0xfffe], ids[0xffff]]).toEqual([1, 0xffff, 1]);
  });
});

describe('VrrpChannel receive', () => {
  const msg = (data: Uint8Array, over: Partial<RawMessage> = {}): RawMessage => ({ data, src: '192.0.2.11', ifindex: 2, ...over });

  it('accepts keepalived\'s advert and reports its TTL', () => {
    const { io, adverts, drops } = channel();
    io.deliver(msg(hex(labMaster.ip ?? '')));
    expect(drops).toEqual([]);
    expect(adverts).toEqual([{ advert: labMaster.advert, from: '192.0.2.11', ttl: 255 }]);
  });

  it('drops and counts a multicast advert with TTL 254 (RFC 5798 §7.1)', () => {
    const { io, ch, adverts, drops } = channel();
    io.deliver(msg(ipv4Packet({ src: '192.0.2.11', dst: '224.0.100.100', ttl: 254 }, hex(labMaster.vrrp))));
    expect(adverts).toEqual([]);
    expect(drops).toEqual(['bad-ttl']);
    expect(ch.drops.get('bad-ttl')).toBe(1);
  });

  it.each<[string, () => RawMessage, ChannelDropReason]>([
    ['our own looped-back advert', () => msg(hex(labMaster.ip ?? '')), 'own-packet'],
    ['another multicast group', () => msg(ipv4Packet({ src: '192.0.2.11', dst: '224.0.0.18' }, hex(labMaster.vrrp))), 'wrong-destination'],
    ['another interface', () => msg(hex(labMaster.ip ?? ''), { ifindex: 3 }), 'wrong-interface'],
    ['a truncated IP header', () => msg(hex(labMaster.ip ?? '').subarray(0, 19)), 'too-short'],
    ['an AH packet', () => msg(ipv4Packet({ src: '192.0.2.11', dst: '224.0.100.100', protocol: 51 }, new Uint8Array(44))), 'ah-unsupported'],
    ['a corrupted checksum', () => msg(ipv4Packet({ src: '192.0.2.11', dst: '224.0.100.100' }, hex(labMaster.vrrp.replace('ebf6', 'ebf7')))), 'bad-checksum'],
  ])('drops %s', (_what, make, reason) => {
    const { io, adverts, drops } = channel(reason === 'own-packet' ? { srcAddress: '192.0.2.11' } : {});
    io.deliver(make());
    expect(adverts).toEqual([]);
    expect(drops).toEqual([reason]);
  });

  it('skips the TTL rule in unicast mode but can insist on a known peer (check_unicast_src)', () => {
    const pkt = (src: string, ttl: number) =>
      msg(ipv4Packet({ src, dst: '192.0.2.12', ttl }, hex(unicast[0]?.vrrp ?? '')), { src });
    const open = channel({ unicastPeers: ['192.0.2.11'] });
    open.io.deliver(pkt('192.0.2.11', 64));
    expect(open.adverts.map((a) => a.ttl)).toEqual([64]);
    const strict = channel({ unicastPeers: ['192.0.2.13'], checkUnicastSrc: true });
    strict.io.deliver(pkt('192.0.2.11', 255));
    expect(strict.drops).toEqual(['not-unicast-peer']);
  });

  it('never throws on any truncation of a real advert', () => {
    const full = hex(labMaster.ip ?? '');
    for (let n = 0; n < full.length; n++) {
      const { io, adverts, drops } = channel();
      expect(() => io.deliver(msg(full.subarray(0, n)))).not.toThrow();
      expect(adverts.length + drops.length).toBe(1);
      expect(adverts).toEqual([]);
    }
  });
});
