import { describe, expect, it } from 'vitest';
import { parseIpv4Header } from '../vrrp/packet.js';
import { encodeIpv4Header, gratuitousArp, parseMac, unsolicitedNeighbourAdvert } from './frames.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('encodeIpv4Header', () => {
  it('writes the header keepalived sends: TOS 0xc0, no DF, TTL, protocol, addresses, a valid checksum', () => {
    const h = encodeIpv4Header({ src: '192.0.2.11', dst: '224.0.100.100', ttl: 255, protocol: 112, id: 7, payloadLength: 20 });
    // Hand-assembled: 45 c0 0028 0007 0000 ff 70 csum c000020b e0006464
    expect(hex(h.subarray(0, 10))).toBe('45c000280007' + '0000' + 'ff70');
    expect(hex(h.subarray(12))).toBe('c000020b' + 'e0006464');
    const parsed = parseIpv4Header(new Uint8Array([...h, ...new Uint8Array(20)]));
    expect(parsed).toMatchObject({ ok: true, ttl: 255, protocol: 112, id: 7, src: '192.0.2.11', dst: '224.0.100.100', tos: 0xc0 });
    // The one's complement sum over a header with a correct checksum is 0xffff.
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += ((h[i] ?? 0) << 8) | (h[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });

  it('refuses text that is not an IPv4 address', () => {
    expect(() => encodeIpv4Header({ src: '192.0.2', dst: '224.0.0.18', ttl: 255, protocol: 112, id: 1, payloadLength: 0 })).toThrow(RangeError);
  });
});

describe('gratuitousArp', () => {
  it('is an ARP request with sender = target = VIP and target MAC all ones (keepalived, reference §1.10)', () => {
    const mac = parseMac('02:00:5e:10:00:0b');
    expect(hex(gratuitousArp(mac, '192.0.2.100'))).toBe(
      '0001' + '0800' + '06' + '04' + '0001' + '02005e10000b' + 'c0000264' + 'ffffffffffff' + 'c0000264',
    );
  });
});

describe('parseMac', () => {
  it.each(['02:00:5e:10:00', 'zz:00:5e:10:00:0b', '', '02:00:5e:10:00:0b:01'])('refuses %j', (text) => {
    expect(() => parseMac(text)).toThrow(RangeError);
  });
});

describe('unsolicitedNeighbourAdvert', () => {
  const mac = parseMac('02:00:5e:10:00:0b');
  it('is an ICMPv6 NA from the VIP to ff02::1 with hop limit 255, Override, target = VIP and a TLLA option', () => {
    const p = unsolicitedNeighbourAdvert(mac, '2001:db8::100', false);
    expect(p.length).toBe(72);
    expect(hex(p.subarray(0, 8))).toBe('60000000' + '0020' + '3a' + 'ff');
    expect(hex(p.subarray(8, 24))).toBe('20010db8000000000000000000000100');
    expect(hex(p.subarray(24, 40))).toBe('ff020000000000000000000000000001');
    expect(p[40]).toBe(136);
    expect(p[44]).toBe(0x20);
    expect(hex(p.subarray(48, 64))).toBe('20010db8000000000000000000000100');
    expect(hex(p.subarray(64))).toBe('0201' + '02005e10000b');
  });

  it('sets the Router flag when asked and carries a checksum that verifies over the pseudo-header', () => {
    const p = unsolicitedNeighbourAdvert(mac, '2001:db8::100', true);
    expect(p[44]).toBe(0xa0);
    const words = [...p.subarray(8, 40), 0, 0, 0, 32, 0, 0, 0, 58, ...p.subarray(40)];
    let sum = 0;
    for (let i = 0; i < words.length; i += 2) sum += ((words[i] ?? 0) << 8) | (words[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });
});
