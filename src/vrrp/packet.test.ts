import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ahHeader,
  concatBytes,
  hex,
  internetChecksum,
  ipv4Packet,
  toHex,
  vrrpPacket,
} from '../testing/packet-builder.js';
import type { Advert } from './advert.js';
import { type KeepalivedCapture, keepalivedCaptures } from '../testing/keepalived-captures.js';
import {
  authPassFromConfig,
  type DecodeContext,
  type DecodeResult,
  decode,
  encode,
  encodingLength,
  parseIpv4Header,
  passwordsEqual,
  splitAuthHeader,
} from './packet.js';

const ctxOf = (c: KeepalivedCapture): DecodeContext => ({
  family: c.family,
  srcAddress: c.src,
  dstAddress: c.dst,
  ...(c.oldUnicastChecksum ? { oldUnicastChecksum: true } : {}),
});
const named = <T extends { name: string }>(xs: readonly T[]): [string, T][] => xs.map((x) => [x.name, x]);
const okAdvert = (r: DecodeResult): Advert => {
  if (!r.ok) throw new Error(`decode failed: ${r.reason}`);
  return r.advert;
};

const V4 = { family: 4, srcAddress: '192.0.2.11', dstAddress: '224.0.0.18' } as const;
const V6 = { family: 6, srcAddress: 'fe80::ff:fe00:11', dstAddress: 'ff02::12' } as const;
const V6p = { src: V6.srcAddress, dst: V6.dstAddress };
const v2 = (over: Partial<Advert> = {}): Advert => ({
  version: 2, family: 4, vrid: 51, priority: 100, advertIntervalMs: 1000,
  addresses: ['192.0.2.100'], auth: { type: 'none' }, ...over,
});
const v3 = (over: Partial<Advert> = {}): Advert => ({ ...v2({ version: 3 }), ...over });

describe('keepalived 2.2.7 captures', () => {
  it.each(named(keepalivedCaptures))('decodes: %s', (_, c) => {
    const r = decode(hex(c.vrrp), ctxOf(c));
    expect(r).toEqual({ ok: true, advert: c.advert, checksum: 'valid' });
  });

  it.each(named(keepalivedCaptures))('encodes byte-exact: %s', (_, c) => {
    expect(toHex(encode(c.advert, ctxOf(c)))).toBe(c.vrrp);
    expect(encodingLength(c.advert)).toBe(c.vrrp.length / 2);
  });

  it.each(named(keepalivedCaptures.filter((c) => c.ip !== undefined)))('splits the raw IPv4 datagram: %s', (_, c) => {
    const ip = parseIpv4Header(hex(c.ip ?? ''));
    if (!ip.ok) throw new Error(ip.reason);
    expect([ip.src, ip.dst, ip.ttl, ip.tos]).toEqual([c.src, c.dst, 255, 0xc0]);
    let payload = ip.payload;
    if (c.advert.auth.type === 'ah') {
      expect(ip.protocol).toBe(51);
      const ah = splitAuthHeader(ip.payload);
      if (!ah.ok) throw new Error(ah.reason);
      expect(ah.spi).toBe(0xc000020b); // keepalived: SPI = sender's IPv4 address
      payload = ah.payload;
    } else {
      expect(ip.protocol).toBe(112);
    }
    expect(toHex(payload)).toBe(c.vrrp);
  });

  it('keepalived compat: AH ICV is HMAC-MD5-96 keyed with auth_pass over the zeroed IP header, AH and VRRP', () => {
    const ah = keepalivedCaptures.filter((x) => x.advert.auth.type === 'ah');
    expect(ah).toHaveLength(2);
    for (const c of ah) {
      const pkt = hex(c.ip ?? '');
      const icv = toHex(pkt.subarray(32, 44));
      const zeroed = Uint8Array.from(pkt);
      zeroed[1] = 0; // TOS
      zeroed.fill(0, 6, 8); // flags + fragment offset
      zeroed.fill(0, 10, 12); // header checksum
      zeroed.fill(0, 32, 44); // ICV
      const key = Buffer.alloc(8);
      key.write('ahpass');
      expect(createHmac('md5', key).update(zeroed).digest('hex').slice(0, 24)).toBe(icv);
    }
  });

  it('keepalived compat: old_unicast_checksum uses 224.0.0.18 as pseudo-header destination', () => {
    const old = keepalivedCaptures.filter((c) => c.oldUnicastChecksum);
    const uni = keepalivedCaptures.filter((c) => c.advert.version === 3 && c.family === 4 && c.dst.startsWith('192.'));
    expect(old.length).toBeGreaterThan(0);
    for (const c of old) {
      const buf = hex(c.vrrp);
      const base = { family: 4, srcAddress: c.src, dstAddress: c.dst } as const;
      expect(decode(buf, base)).toEqual({ ok: false, reason: 'bad-checksum' });
      expect(decode(buf, { ...base, oldUnicastChecksum: true })).toMatchObject({ ok: true, checksum: 'valid' });
      const detected = decode(buf, { ...base, detectOldUnicastChecksum: true });
      expect(detected).toMatchObject({ ok: true, checksum: 'valid-old-unicast' });
    }
    for (const c of uni.filter((x) => !x.oldUnicastChecksum)) {
      const base = { family: 4, srcAddress: c.src, dstAddress: c.dst } as const;
      expect(decode(hex(c.vrrp), { ...base, oldUnicastChecksum: true })).toEqual({ ok: false, reason: 'bad-checksum' });
      expect(decode(hex(c.vrrp), { ...base, detectOldUnicastChecksum: true })).toMatchObject({ checksum: 'valid' });
    }
  });

  it('unicast copies of one advert differ only in the pseudo-header checksum', () => {
    const [a, b] = keepalivedCaptures.filter((c) => c.advert.vrid === 53 && c.advert.priority === 255);
    expect(a?.dst).toBe('192.0.2.12');
    expect(b?.dst).toBe('192.0.2.13');
    expect(a?.vrrp.slice(16)).toBe(b?.vrrp.slice(16));
    expect(a?.vrrp.slice(12, 16)).not.toBe(b?.vrrp.slice(12, 16));
  });

  it('matches the vectors quoted in reference/keepalived-runtime.md §1.2-1.3', () => {
    const v2vec = hex('21 33 64 02 00 01 f5 fe c0 00 02 64 c0 00 02 65 00 00 00 00 00 00 00 00');
    expect(okAdvert(decode(v2vec, { family: 4 }))).toEqual(v2({ addresses: ['192.0.2.100', '192.0.2.101'] }));
    const v3vec = hex('31 33 96 02 00 32 11 2f c0 00 02 64 c0 00 02 65');
    expect(decode(v3vec, { ...V4, srcAddress: '192.0.2.11' })).toMatchObject({ ok: true, checksum: 'valid' });
    const zeroed = Uint8Array.from(v3vec).fill(0, 6, 8);
    expect(internetChecksum(zeroed)).toBe(0xb3cd); // "without pseudo-header it would be 0xb3cd"
  });
});

describe('byte-exact vectors built by hand', () => {
  const vectors: { name: string; bytes: Uint8Array; ctx: DecodeContext; advert: Advert }[] = [
    {
      name: 'v2, 3 VIPs, PASS with 8 chars, interval 255 s, priority 255',
      bytes: vrrpPacket({ family: 4, vrid: 1, priority: 255, interval: 255, authType: 1, authData: 'abcdefgh',
        addresses: ['192.0.2.1', '198.51.100.2', '203.0.113.3'] }),
      ctx: { family: 4 },
      advert: v2({ vrid: 1, priority: 255, advertIntervalMs: 255_000, auth: { type: 'pass', password: 'abcdefgh' },
        addresses: ['192.0.2.1', '198.51.100.2', '203.0.113.3'] }),
    },
    {
      name: 'v2 AH, no addresses',
      bytes: vrrpPacket({ family: 4, vrid: 255, priority: 1, interval: 1, authType: 2, addresses: [] }),
      ctx: { family: 4 },
      advert: v2({ vrid: 255, priority: 1, addresses: [], auth: { type: 'ah' } }),
    },
    {
      name: 'v3 IPv4, max interval 4095 cs',
      bytes: vrrpPacket({ family: 4, version: 3, vrid: 7, priority: 0, interval: 0x0fff, addresses: ['192.0.2.7'],
        pseudo: { src: '192.0.2.11', dst: '224.0.0.18' } }),
      ctx: V4,
      advert: v3({ vrid: 7, priority: 0, advertIntervalMs: 40_950, addresses: ['192.0.2.7'] }),
    },
    {
      name: 'v3 IPv6, 10 ms interval, RFC 5952 text',
      bytes: vrrpPacket({ family: 6, vrid: 9, priority: 200, interval: 1,
        addresses: ['2001:db8:0:0:1:0:0:1', '::ffff:c000:201'], pseudo: { src: 'fe80::ff:fe00:11', dst: 'ff02::12' } }),
      ctx: V6,
      advert: v3({ family: 6, vrid: 9, priority: 200, advertIntervalMs: 10,
        addresses: ['2001:db8::1:0:0:1', '::ffff:192.0.2.1'] }),
    },
  ];

  it.each(named(vectors))('decodes and re-encodes: %s', (_, v) => {
    expect(okAdvert(decode(v.bytes, v.ctx))).toEqual(v.advert);
    expect(toHex(encode(v.advert, v.ctx))).toBe(toHex(v.bytes));
  });

  it('ignores the v3 reserved bits on receipt (RFC 5798 §5.2.6)', () => {
    const bytes = vrrpPacket({ family: 4, version: 3, vrid: 7, priority: 9, interval: 0xf064, addresses: [],
      pseudo: { src: V4.srcAddress, dst: V4.dstAddress } });
    expect(okAdvert(decode(bytes, V4)).advertIntervalMs).toBe(1000);
  });
});

describe('round trip', () => {
  const many4 = Array.from({ length: 255 }, (_, i) => `192.0.2.${i}`);
  const many6 = Array.from({ length: 90 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`);
  const cases: [string, Advert, DecodeContext][] = [
    ['v2 with 255 addresses', v2({ addresses: many4 }), V4],
    ['v2 PASS short', v2({ auth: { type: 'pass', password: 'x' } }), V4],
    ['v2 PASS binary bytes', v2({ auth: { type: 'pass', password: '\u0000a\u00ff' } }), V4],
    ['v3 IPv4 10 ms', v3({ advertIntervalMs: 10 }), V4],
    ['v3 IPv4 unicast', v3({ priority: 0 }), { ...V4, dstAddress: '192.0.2.12' }],
    ['v3 IPv6 90 addresses', v3({ family: 6, addresses: many6 }), V6],
    ['v3 IPv6 no addresses', v3({ family: 6, addresses: [] }), V6],
  ];
  it.each(cases)('%s', (_, adv, ctx) => {
    const bytes = encode(adv, ctx);
    expect(bytes.length).toBe(encodingLength(adv));
    expect(decode(bytes, ctx)).toEqual({ ok: true, advert: adv, checksum: 'valid' });
    const big = new Uint8Array(bytes.length + 7).fill(0xaa);
    expect(encode(adv, ctx, big, 3)).toBe(big);
    expect(toHex(big)).toBe(`aaaaaa${toHex(bytes)}aaaaaaaa`);
  });
});

describe('drop reasons', () => {
  const p4 = { src: V4.srcAddress, dst: V4.dstAddress };
  const good2 = { family: 4, vrid: 5, priority: 100, interval: 1, addresses: ['192.0.2.1'] } as const;
  const good3 = { ...good2, version: 3, interval: 100, pseudo: p4 } as const;
  const good6 = { ...good3, family: 6, addresses: ['fe80::1'] } as const;
  const table: [string, Uint8Array, DecodeContext][] = [
    ['too-short', hex('21 05 64 00 00 01 00'), V4],
    ['bad-vrid', vrrpPacket({ ...good2, vrid: 0 }), V4],
    ['bad-version', vrrpPacket({ ...good3, version: 4 }), V4],
    ['bad-version', vrrpPacket({ ...good3, version: 0 }), V4],
    ['bad-family', vrrpPacket({ ...good2, family: 6, version: 2, addresses: ['2001:db8::1'] }), V6],
    ['bad-family', vrrpPacket(good2), { family: 5 as 4 }],
    ['addr-count-mismatch', vrrpPacket({ ...good2, count: 2 }), V4],
    ['addr-count-mismatch', concatBytes(vrrpPacket(good3), hex('00')), V4],
    ['addr-count-mismatch', vrrpPacket(good3), V6],
    ['bad-auth-type', vrrpPacket({ ...good2, authType: 3 }), V4],
    ['bad-interval', vrrpPacket({ ...good2, interval: 0 }), V4],
    ['bad-interval', vrrpPacket({ ...good3, interval: 0xf000 }), V4],
    ['bad-type', vrrpPacket({ ...good3, type: 2 }), V4],
    ['bad-checksum', vrrpPacket({ ...good2, checksum: 0x1234 }), V4],
    ['bad-checksum', vrrpPacket(good3), { ...V4, dstAddress: '224.0.0.19' }],
    ['bad-checksum', vrrpPacket({ ...good6, pseudo: { ...V6p, src: 'fe80::9' } }), V6],
    ['missing-pseudo-header', vrrpPacket(good3), { family: 4 }],
    ['missing-pseudo-header', vrrpPacket(good3), { family: 4, srcAddress: 'fe80::1', dstAddress: '224.0.0.18' }],
  ];
  it.each(table)('%s (case %#)', (reason, bytes, ctx) => {
    expect(decode(bytes, ctx)).toEqual({ ok: false, reason });
  });

  it('keepalived compat: checks run in vrrp_check_packet() order (auth type before type and checksum)', () => {
    const bytes = vrrpPacket({ ...good2, authType: 9, type: 3, checksum: 0 });
    expect(decode(bytes, V4)).toEqual({ ok: false, reason: 'bad-auth-type' });
  });

  it("accepts an unverified v3 checksum with checksum: 'skip' (kernel-verified IPv6)", () => {
    const { pseudo: _, ...noPseudo } = good6;
    const bytes = vrrpPacket(noPseudo);
    expect(decode(bytes, { family: 6, checksum: 'skip' })).toMatchObject({ ok: true, checksum: 'not-checked' });
  });
});

describe('robustness: hostile input never throws', () => {
  const samples = keepalivedCaptures.map((c) => ({ name: c.name, bytes: hex(c.vrrp), ctx: ctxOf(c) }));

  it('rejects every truncation and every extension of each capture', () => {
    for (const s of samples) {
      for (let i = 0; i < s.bytes.length; i++) expect(decode(s.bytes.subarray(0, i), s.ctx).ok).toBe(false);
      expect(decode(concatBytes(s.bytes, hex('00')), s.ctx)).toEqual({ ok: false, reason: 'addr-count-mismatch' });
    }
  });

  it('rejects every single-byte corruption of each capture (the checksum catches what the parser does not)', () => {
    for (const s of samples) {
      for (let i = 0; i < s.bytes.length; i++) {
        for (const mask of [0x01, 0x10, 0x80, 0xff]) {
          const bad = Uint8Array.from(s.bytes);
          bad[i] = (bad[i] ?? 0) ^ mask;
          expect(decode(bad, s.ctx).ok, `${s.name} byte ${i} ^ ${mask}`).toBe(false);
        }
      }
    }
  });

  it('survives every byte value at every offset of one capture, and of raw IPv4 and AH framing', () => {
    const c = keepalivedCaptures.find((x) => x.advert.auth.type === 'ah');
    const ip = hex(c?.ip ?? '');
    const bad = Uint8Array.from(ip);
    for (let i = 0; i < ip.length; i++) {
      for (let v = 0; v < 256; v++) {
        bad[i] = v;
        const r = parseIpv4Header(bad);
        const ah = r.ok ? splitAuthHeader(r.payload) : undefined;
        if (ah?.ok) decode(ah.payload, { family: 4, checksum: 'skip' });
      }
      bad[i] = ip[i] ?? 0;
      expect(parseIpv4Header(ip.subarray(0, i)).ok).toBe(false);
      expect(splitAuthHeader(ip.subarray(20, 20 + i)).ok).toBe(i >= 24);
    }
  });

  it('fuzz: 10000 random buffers decode to a drop reason or a well-formed advert', () => {
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0; // deterministic LCG: failures reproduce
      return (seed >>> 8) % n;
    };
    let accepted = 0;
    for (let k = 0; k < 10_000; k++) {
      const family = rand(2) === 0 ? 4 : 6;
      const buf = Uint8Array.from({ length: rand(72) }, () => rand(256));
      if (buf.length > 0 && rand(2) === 0) buf[0] = rand(2) === 0 ? 0x21 : 0x31; // reach past the version check
      if (buf.length > 3 && rand(2) === 0) buf[3] = Math.floor((buf.length - 8) / (family === 4 ? 4 : 16));
      const ctx: DecodeContext = rand(2) === 0 ? { family, checksum: 'skip' } : family === 4 ? V4 : V6;
      const r = decode(buf, ctx);
      if (!r.ok) continue;
      accepted++;
      expect(r.advert.vrid).toBeGreaterThanOrEqual(1);
      expect(r.advert.advertIntervalMs).toBeGreaterThan(0);
      expect(encodingLength(r.advert)).toBe(buf.length);
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('checksums', () => {
  it('v2 covers the whole message including the auth data, with no pseudo-header', () => {
    const a = encode(v2({ auth: { type: 'pass', password: 'aaaa' } }));
    const b = encode(v2({ auth: { type: 'pass', password: 'aaab' } }));
    expect(toHex(a.subarray(6, 8))).not.toBe(toHex(b.subarray(6, 8)));
    expect(encode(v2(), { srcAddress: '192.0.2.1', dstAddress: '224.0.0.18' })).toEqual(encode(v2()));
    expect(internetChecksum(a)).toBe(0);
  });

  it('v3 IPv4 includes the pseudo-header: the destination changes the checksum', () => {
    const m = encode(v3(), V4);
    const u = encode(v3(), { ...V4, dstAddress: '192.0.2.12' });
    expect(toHex(m.subarray(6, 8))).not.toBe(toHex(u.subarray(6, 8)));
    expect(decode(u, V4)).toEqual({ ok: false, reason: 'bad-checksum' });
  });

  it('v3 IPv6 uses the RFC 8200 §8.1 pseudo-header; without addresses it leaves 0 for the kernel', () => {
    const adv = v3({ family: 6, addresses: ['fe80::52'] });
    const built = vrrpPacket({ family: 6, vrid: 51, priority: 100, interval: 100, addresses: ['fe80::52'],
      pseudo: { src: V6.srcAddress, dst: V6.dstAddress } });
    expect(toHex(encode(adv, V6))).toBe(toHex(built));
    expect(toHex(encode(adv).subarray(6, 8))).toBe('0000');
  });

  it('old_unicast_checksum on encode honours a custom vrrp_mcast_group4', () => {
    const opts = { ...V4, dstAddress: '192.0.2.12', oldUnicastChecksum: true, mcastGroup4: '224.0.100.100' };
    expect(encode(v3(), opts)).toEqual(encode(v3(), { ...V4, dstAddress: '224.0.100.100' }));
    const ctx = { ...V4, dstAddress: '192.0.2.12', mcastGroup4: '224.0.100.100' } as const;
    const got = decode(encode(v3(), opts), { ...ctx, detectOldUnicastChecksum: true });
    expect(got).toMatchObject({ checksum: 'valid-old-unicast' });
    // Detection only applies when the destination is not the group itself.
    const mcast = vrrpPacket({ family: 4, version: 3, vrid: 51, priority: 1, interval: 9, addresses: [], checksum: 1 });
    expect(decode(mcast, { ...V4, detectOldUnicastChecksum: true })).toEqual({ ok: false, reason: 'bad-checksum' });
  });
});

describe('IPv4 and AH framing', () => {
  const vrrp = vrrpPacket({ family: 4, vrid: 5, priority: 100, interval: 1, addresses: ['192.0.2.1'] });
  it('skips IPv4 options', () => {
    const withOptions = ipv4Packet({ src: '192.0.2.11', dst: '224.0.0.18', ttl: 64, options: [0x94, 4, 0, 0] }, vrrp);
    const r = parseIpv4Header(withOptions);
    expect(r).toMatchObject({ ok: true, ttl: 64, src: '192.0.2.11', dst: '224.0.0.18', protocol: 112 });
    expect(r.ok && toHex(r.payload)).toBe(toHex(vrrp));
  });
  it.each([
    ['bad-ip-version', ipv4Packet({ src: '192.0.2.1', dst: '224.0.0.18', version: 6 }, vrrp)],
    ['bad-ihl', ipv4Packet({ src: '192.0.2.1', dst: '224.0.0.18', ihl: 4 }, vrrp)],
    ['bad-ihl', ipv4Packet({ src: '192.0.2.1', dst: '224.0.0.18', ihl: 15 }, hex('00'))],
    ['bad-total-length', ipv4Packet({ src: '192.0.2.1', dst: '224.0.0.18', totalLength: 21 }, vrrp)],
    ['too-short', hex('45c00014')],
  ])('%s', (reason, bytes) => expect(parseIpv4Header(bytes)).toEqual({ ok: false, reason }));
  it.each([
    ['not-vrrp', ahHeader({ spi: 1, sequence: 1, nextHeader: 6 })],
    ['bad-ah-length', ahHeader({ spi: 1, sequence: 1, payloadLen: 5 })],
  ])('AH %s', (reason, bytes) => expect(splitAuthHeader(concatBytes(bytes, vrrp))).toEqual({ ok: false, reason }));
});

describe('addresses', () => {
  it.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // RFC 5952 §4.2.2: no :: for one group
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // §4.2.1: the longest run
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: first of equal runs
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // §5
    ['fe80::ff:fe00:11', 'fe80::ff:fe00:11'],
    ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1'], // RFC 4291 §2.2 form 3, no ::
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('IPv6 %s is sent and read back as %s', (text, canonical) => {
    const adv = v3({ family: 6, addresses: [text] });
    expect(okAdvert(decode(encode(adv, V6), V6)).addresses).toEqual([canonical]);
  });

  it.each([
    [4, '192.0.2'], [4, '192.0.2.256'], [4, '192.0.2.01'], [4, '2001:db8::1'], [4, ' 192.0.2.1'],
    [6, '1::2::3'], [6, '1:2:3:4:5:6:7:8:9'], [6, '1:2:3:4:5:6:7'], [6, 'fe80::1%eth0'], [6, '::ffff:1.2.3'],
    [6, '12345::'], [6, ':1::'], [6, '1:2:3:4:5:6:7::8'], [6, '192.0.2.1'], [6, '1.2.3.4::'], [6, '::1:'],
  ] as const)('encode refuses IPv%s address %j', (family, text) => {
    const adv = family === 4 ? v2({ addresses: [text] }) : v3({ family: 6, addresses: [text] });
    expect(() => encode(adv, family === 4 ? V4 : V6)).toThrow(RangeError);
  });
});

describe('v2 simple text password', () => {
  it('keepalived compat: auth_pass is cut to 8 bytes of UTF-8 and compared as 8 raw bytes', () => {
    expect(authPassFromConfig('secret12345')).toBe('secret12');
    const cut = authPassFromConfig('aéééé'); // 9 UTF-8 bytes: the cut splits the last é
    expect(Array.from(cut, (ch) => ch.charCodeAt(0))).toEqual([0x61, 0xc3, 0xa9, 0xc3, 0xa9, 0xc3, 0xa9, 0xc3]);
    const wire = encode(v2({ auth: { type: 'pass', password: cut } }));
    const got = okAdvert(decode(wire, { family: 4 }));
    expect(got.auth.type === 'pass' && passwordsEqual(got.auth.password, cut)).toBe(true);
  });

  it('keeps bytes after an embedded NUL, so "ab\\0c" differs from "ab" as in keepalived', () => {
    const fields = { family: 4, vrid: 5, priority: 1, interval: 1, addresses: [] } as const;
    const bytes = vrrpPacket({ ...fields, authType: 1, authData: 'ab\u0000c' });
    const got = okAdvert(decode(bytes, { family: 4 }));
    expect(got.auth).toEqual({ type: 'pass', password: 'ab\u0000c' });
    expect(passwordsEqual('ab\u0000c', 'ab')).toBe(false);
    expect(passwordsEqual('123456', authPassFromConfig('123456'))).toBe(true);
  });
});

describe('encode refuses adverts that break the codec invariants', () => {
  it.each([
    ['v2 over IPv6', v2({ family: 6, addresses: ['fe80::1'] })],
    ['v3 with auth', v3({ auth: { type: 'pass', password: 'x' } })],
    ['v2 fractional seconds', v2({ advertIntervalMs: 1500 })],
    ['v2 interval 256 s', v2({ advertIntervalMs: 256_000 })],
    ['v3 interval 5 ms', v3({ advertIntervalMs: 5 })],
    ['v3 interval 40.96 s', v3({ advertIntervalMs: 40_960 })],
    ['vrid 0', v2({ vrid: 0 })],
    ['priority 256', v2({ priority: 256 })],
    ['256 addresses', v2({ addresses: Array.from({ length: 256 }, () => '192.0.2.1') })],
    ['9-byte password', v2({ auth: { type: 'pass', password: '123456789' } })],
    ['non-byte password', v2({ auth: { type: 'pass', password: 'é€' } })],
    ['version 4', v2({ version: 4 as 2 })],
    ['family 5', v2({ family: 5 as 4 })],
  ])('%s', (_, adv) => expect(() => encode(adv, V4)).toThrow(RangeError));

  it('v3 IPv4 without pseudo-header addresses, or a buffer too small', () => {
    expect(() => encode(v3(), {})).toThrow(RangeError);
    expect(() => encode(v3({ family: 6, addresses: [] }), { srcAddress: V6.srcAddress })).toThrow(RangeError);
    expect(() => encode(v2(), {}, new Uint8Array(10))).toThrow(RangeError);
  });
});
