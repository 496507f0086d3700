import { describe, expect, it } from 'vitest';
import { countDrop, countReceived, emptyStats, formatStats } from './vrrp-stats.js';

describe('keepalived.stats', () => {
  it('prints keepalived 2.2.7\'s layout (reference §5.2, vrrp_print_stats())', () => {
    const s = emptyStats();
    s.advertSent = 4;
    s.becomeMaster = 1;
    expect(formatStats([['VI_1', s]])).toBe(
      [
        'VRRP Instance: VI_1',
        '  Advertisements:',
        '    Received: 0',
        '    Sent: 4',
        '  Became master: 1',
        '  Released master: 0',
        '  Packet Errors:',
        '    Length: 0',
        '    TTL: 0',
        '    Invalid Type: 0',
        '    Advertisement Interval: 0',
        '    Address List: 0',
        '  Authentication Errors:',
        '    Invalid Type: 0',
        '    Type Mismatch: 0',
        '    Failure: 0',
        '  Priority Zero:',
        '    Received: 0',
        '    Sent: 0',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['bad-ttl', 'ipTtlErr'],
    ['too-short', 'packetLenErr'],
    ['bad-total-length', 'packetLenErr'],
    ['bad-type', 'invalidTypeRcvd'],
    ['bad-auth-type', 'invalidAuthtype'],
    ['wrong-destination', 'addrListErr'],
    ['ah-unsupported', 'authtypeMismatch'],
  ] as const)('a %s drop counts as %s', (reason, counter) => {
    const s = emptyStats();
    countDrop(s, reason);
    expect(s[counter]).toBe(1);
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('counts adverts the way vrrp_check_packet() does: auth errors are not "received", address errors are', () => {
    const s = emptyStats();
    countReceived(s, 100, undefined);
    countReceived(s, 0, undefined);
    countReceived(s, 100, 'auth-failure');
    countReceived(s, 100, 'auth-type-mismatch');
    countReceived(s, 100, 'addr-missing');
    countReceived(s, 90, 'lower-priority');
    countReceived(s, 100, 'wrong-version');
    expect(s).toMatchObject({ advertRcvd: 4, priZeroRcvd: 1, authFailure: 1, authtypeMismatch: 1, addrListErr: 1 });
  });
});
