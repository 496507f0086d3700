// Pcap files are built here byte by byte (pg-protocol's test-buffers), never with the parser's helpers.
import { describe, expect, it } from 'vitest';
import { formatIpv6, parsePcap } from './pcap.js';

const hex = (s: string): number[] => (s.match(/../g) ?? []).map((h) => Number.parseInt(h, 16));
const be16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number, le: boolean): number[] => {
  const b = [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return le ? b.reverse() : b;
};
const u16 = (n: number, le: boolean): number[] => (le ? be16(n).reverse() : be16(n));

interface Rec {
  readonly sec: number;
  readonly frac: number;
  readonly data: readonly number[];
}

function pcap(le: boolean, magic: number, records: readonly Rec[], linktype = 1): Uint8Array {
  const out = [...u32(magic, le), ...u16(2, le), ...u16(4, le), ...u32(0, le), ...u32(0, le), ...u32(262144, le), ...u32(linktype, le)];
  for (const r of records) out.push(...u32(r.sec, le), ...u32(r.frac, le), ...u32(r.data.length, le), ...u32(r.data.length, le), ...r.data);
  return Uint8Array.from(out);
}

const macA = hex('020000000011');
const bcast = hex('ffffffffffff');

// keepalived 2.2.7's GARP for the VIP (seen in the lab): request, sender IP = target IP = 192.0.2.100.
const garp = [...bcast, ...macA, ...be16(0x0806), ...hex('0001080006040001'), ...macA, 192, 0, 2, 100, ...bcast, 192, 0, 2, 100];

// keepalived 2.2.7's VRRPv2 advert, copied from keepalived-captures.ts ('v2 PASS "123456", vrid 5'), padded to
// the 60-byte Ethernet minimum as a switch port would see it.
const v4Datagram = hex('45c0002800010000ff70b434c000020be0006464210596010101ebf6c00002643132333435360000');
const v4Frame = [...hex('01005e006464'), ...macA, ...be16(0x0800), ...v4Datagram, ...Array<number>(60 - 14 - v4Datagram.length).fill(0)];

// VRRPv3 from fe80::ff:fe00:11 to ff02::12, hop limit 255, next header 112, 8-byte payload, 3 trailing junk bytes.
const v6Frame = [
  ...hex('333300000012'),
  ...macA,
  ...be16(0x86dd),
  ...hex('60000000'),
  ...be16(8),
  112,
  255,
  ...hex('fe80000000000000000000fffe000011'),
  ...hex('ff020000000000000000000000000012'),
  ...hex('3105640000640000'),
  0xaa,
  0xbb,
  0xcc,
];

const records: readonly Rec[] = [
  { sec: 1_700_000_000, frac: 123_456, data: garp },
  { sec: 1_700_000_001, frac: 7, data: v4Frame },
  { sec: 1_700_000_002, frac: 999_999, data: v6Frame },
];

describe('parsePcap', () => {
  it.each([
    ['microseconds, little-endian', true, 0xa1b2c3d4, 'le', 'us'],
    ['microseconds, big-endian', false, 0xa1b2c3d4, 'be', 'us'],
  ] as const)('%s', (_, le, magic, byteOrder, resolution) => {
    const r = parsePcap(pcap(le, magic, records));
    expect(r).toMatchObject({ ok: true, byteOrder, resolution, linktype: 1, skipped: 0 });
    expect(r.frames.map((f) => f.tsUs)).toEqual([1_700_000_000_123_456, 1_700_000_001_000_007, 1_700_000_002_999_999]);
  });

  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ] as const)('nanosecond magic, %s: timestamps become whole microseconds', (_, le) => {
    const r = parsePcap(pcap(le, 0xa1b23c4d, [{ sec: 1_700_000_000, frac: 123_456_789, data: garp }]));
    expect(r).toMatchObject({ ok: true, resolution: 'ns', byteOrder: le ? 'le' : 'be' });
    expect(r.frames[0]?.tsUs).toBe(1_700_000_000_123_456);
  });

  it('ARP: a gratuitous request', () => {
    const [f] = parsePcap(pcap(true, 0xa1b2c3d4, records)).frames;
    expect(f).toEqual({
      tsUs: 1_700_000_000_123_456,
      ethSrc: '02:00:00:00:00:11',
      ethDst: 'ff:ff:ff:ff:ff:ff',
      ethertype: 0x0806,
      arp: { op: 1, senderMac: '02:00:00:00:00:11', senderIp: '192.0.2.100', targetMac: 'ff:ff:ff:ff:ff:ff', targetIp: '192.0.2.100' },
    });
  });

  it('IPv4: header fields, payload cut at the total length (no Ethernet padding)', () => {
    const f = parsePcap(pcap(true, 0xa1b2c3d4, records)).frames[1];
    expect(f).toMatchObject({ ethDst: '01:00:5e:00:64:64', ethertype: 0x0800 });
    expect(f?.ip).toMatchObject({ version: 4, src: '192.0.2.11', dst: '224.0.100.100', ttl: 255, protocol: 112 });
    expect(Array.from(f?.ip?.payload ?? [])).toEqual(v4Datagram.slice(20));
  });

  it('IPv4: options are skipped by the header length', () => {
    const ip = [0x46, 0, ...be16(28), 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, 1, 1, 1, 0, 9, 8, 7, 6];
    const f = parsePcap(pcap(false, 0xa1b2c3d4, [{ sec: 0, frac: 0, data: [...bcast, ...macA, 8, 0, ...ip] }])).frames[0];
    expect(f?.ip).toMatchObject({ version: 4, ttl: 64, protocol: 17 });
    expect(Array.from(f?.ip?.payload ?? [])).toEqual([9, 8, 7, 6]);
  });

  it('IPv6: compressed addresses, hop limit, next header, payload cut at the payload length', () => {
    const f = parsePcap(pcap(true, 0xa1b2c3d4, records)).frames[2];
    expect(f).toMatchObject({ ethDst: '33:33:00:00:00:12', ethertype: 0x86dd });
    expect(f?.ip).toMatchObject({ version: 6, src: 'fe80::ff:fe00:11', dst: 'ff02::12', ttl: 255, protocol: 112 });
    expect(Array.from(f?.ip?.payload ?? [])).toEqual(hex('3105640000640000'));
  });

  it('a snaplen-cut datagram keeps the bytes that were captured', () => {
    const f = parsePcap(pcap(true, 0xa1b2c3d4, [{ sec: 0, frac: 0, data: v4Frame.slice(0, 14 + 20 + 3) }])).frames[0];
    expect(Array.from(f?.ip?.payload ?? [])).toEqual(v4Datagram.slice(20, 23));
  });

  it.each([
    ['an IPv4 header cut short', v4Frame.slice(0, 14 + 19)],
    ['a version field that disagrees with the ethertype', [...v4Frame.slice(0, 12), ...be16(0x86dd), ...v4Frame.slice(14)]],
    ['IPv4 total length below the header length', [...v4Frame.slice(0, 16), ...be16(19), ...v4Frame.slice(18)]],
    ['IPv4 header length below 20', [...v4Frame.slice(0, 14), 0x44, ...v4Frame.slice(15)]],
    ['an IPv6 header cut short', v6Frame.slice(0, 14 + 39)],
  ])('%s: a frame without ip', (_, data) => {
    const r = parsePcap(pcap(true, 0xa1b2c3d4, [{ sec: 0, frac: 0, data }]));
    expect(r.skipped).toBe(0);
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0]?.ip).toBeUndefined();
  });

  it.each([
    ['cut short', garp.slice(0, 41)],
    ['not Ethernet/IPv4 (hardware length 8)', [...garp.slice(0, 18), 8, ...garp.slice(19)]],
  ])('ARP %s: a frame without arp', (_, data) => {
    const r = parsePcap(pcap(true, 0xa1b2c3d4, [{ sec: 0, frac: 0, data }]));
    expect(r.frames[0]).toMatchObject({ ethertype: 0x0806 });
    expect(r.frames[0]?.arp).toBeUndefined();
  });

  it('a record shorter than an Ethernet header is skipped', () => {
    const r = parsePcap(pcap(true, 0xa1b2c3d4, [{ sec: 0, frac: 0, data: garp.slice(0, 13) }, records[0] as Rec]));
    expect(r.frames).toHaveLength(1);
    expect(r.skipped).toBe(1);
  });

  it('a link type other than Ethernet: every record skipped, no throw', () => {
    const r = parsePcap(pcap(true, 0xa1b2c3d4, records, 113));
    expect(r).toMatchObject({ ok: true, linktype: 113, frames: [], skipped: 3 });
  });

  it.each([
    ['empty', []],
    ['a global header cut short', pcap(true, 0xa1b2c3d4, []).slice(0, 23)],
  ])('%s: too-short', (_, bytes) => {
    expect(parsePcap(Uint8Array.from(bytes))).toEqual({ ok: false, reason: 'too-short', frames: [], skipped: 0 });
  });

  it('an unknown magic (pcapng): bad-magic', () => {
    const bytes = pcap(true, 0x0a0d0d0a, records);
    expect(parsePcap(bytes)).toEqual({ ok: false, reason: 'bad-magic', frames: [], skipped: 0 });
  });

  it('cut at every offset: never throws, keeps every whole record, counts a partial one as skipped', () => {
    const full = pcap(true, 0xa1b2c3d4, records);
    const ends: number[] = [];
    let at = 24;
    for (const r of records) ends.push((at += 16 + r.data.length));
    const all = parsePcap(full).frames;
    for (let cut = 0; cut <= full.length; cut++) {
      const r = parsePcap(full.slice(0, cut));
      if (cut < 24) {
        expect(r.ok).toBe(false);
        continue;
      }
      const whole = ends.filter((e) => e <= cut).length;
      expect(r.frames).toEqual(all.slice(0, whole));
      expect(r.skipped).toBe(cut === 24 || ends.includes(cut) ? 0 : 1);
    }
  });

  it('corrupt any byte: never throws', () => {
    const full = pcap(false, 0xa1b2c3d4, records);
    let parsed = 0;
    for (let i = 0; i < full.length; i++) {
      for (const v of [0x00, 0xff, (full[i] ?? 0) ^ 0x80]) {
        const bytes = full.slice();
        bytes[i] = v;
        if (parsePcap(bytes).frames.length <= records.length) parsed++;
      }
    }
    expect(parsed).toBe(full.length * 3);
  });

  it('reads a Uint8Array that is a view into a larger buffer', () => {
    const full = pcap(true, 0xa1b2c3d4, records);
    const outer = new Uint8Array(full.length + 10);
    outer.set(full, 5);
    expect(parsePcap(outer.subarray(5, 5 + full.length)).frames).toEqual(parsePcap(full).frames);
  });
});

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not compressed
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // §4.2.3: the first of two equal runs
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'], // §4.2.3: the longest run
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00010000000000000000000000000000', '1::'],
    ['20010DB8ABCD00EF0000000000000000', '2001:db8:abcd:ef::'], // §4.3: lower case, §4.1: no leading zeros
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // §5: IPv4-mapped keeps the dotted quad
  ])('%s → %s', (bytes, text) => {
    expect(formatIpv6(Uint8Array.from(hex(bytes.toLowerCase())))).toBe(text);
  });
});
