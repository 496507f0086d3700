import { describe, expect, it } from 'vitest';
import { compareAddresses, isSameAddress, parseIpAddress } from './compare-addresses.js';

describe('compareAddresses (keepalived: inet_inaddrcmp)', () => {
  it.each<[string, string, -1 | 0 | 1]>([
    ['192.0.2.12', '192.0.2.11', 1],
    ['192.0.2.11', '192.0.2.12', -1],
    ['10.0.0.10', '10.0.0.9', 1], // numeric, not text
    ['192.0.2.11', '192.0.2.11', 0],
    ['fe80::2', 'fe80::1', 1],
    ['fe80::1', 'fe80::0:2', -1],
    ['2001:db8::1', '2001:DB8:0:0:0:0:0:1', 0],
    ['::ffff:192.0.2.1', '::ffff:c000:201', 0],
    ['fe80::1%eth0', 'fe80::1', 0],
    ['192.0.2.1', 'fe80::1', 0], // family mismatch compares equal (vrrp_saddr_cmp)
    ['not-an-address', '192.0.2.1', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareAddresses(a, b)).toBe(expected);
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['192.0.2.1', [192, 0, 2, 1]],
    ['::', new Array<number>(16).fill(0)],
    ['1::', [0, 1, ...new Array<number>(14).fill(0)]],
  ])('%s', (text, bytes) => {
    expect(parseIpAddress(text)).toEqual(bytes);
  });

  it.each(['256.0.0.1', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7::8', 'g::1', '1:2:3:4:5:6:7', ''])(
    'rejects %j',
    (text) => {
      expect(parseIpAddress(text)).toBeNull();
    },
  );

  it('isSameAddress falls back to text for non-addresses', () => {
    expect(isSameAddress('x', 'x')).toBe(true);
    expect(isSameAddress('192.0.2.1', '2001:db8::1')).toBe(false);
  });
});
