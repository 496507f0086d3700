/**
 * Per-instance VRRP counters and keepalived 2.2.7's `keepalived.stats` text
 * (SIGUSR2; keepalived: vrrp_print_stats()). Pure. Which drop feeds which
 * counter follows where vrrp_check_packet() increments them; keepalived never
 * increments advert_interval_err in 2.2.7, and neither do we.
 */
import type { ChannelDropReason } from '../net/vrrp-channel.js';
import type { DiscardReason } from '../vrrp/instance.js';

export interface VrrpStats {
  advertRcvd: number;
  advertSent: number;
  becomeMaster: number;
  releaseMaster: number;
  packetLenErr: number;
  ipTtlErr: number;
  invalidTypeRcvd: number;
  advertIntervalErr: number;
  addrListErr: number;
  invalidAuthtype: number;
  authtypeMismatch: number;
  authFailure: number;
  priZeroRcvd: number;
  priZeroSent: number;
}

export function emptyStats(): VrrpStats {
  return {
    advertRcvd: 0,
    advertSent: 0,
    becomeMaster: 0,
    releaseMaster: 0,
    packetLenErr: 0,
    ipTtlErr: 0,
    invalidTypeRcvd: 0,
    advertIntervalErr: 0,
    addrListErr: 0,
    invalidAuthtype: 0,
    authtypeMismatch: 0,
    authFailure: 0,
    priZeroRcvd: 0,
    priZeroSent: 0,
  };
}

type Counter = keyof VrrpStats;

const DROP_COUNTER: Partial<Record<ChannelDropReason, Counter>> = {
  'bad-ttl': 'ipTtlErr',
  'too-short': 'packetLenErr',
  'bad-total-length': 'packetLenErr',
  'bad-ihl': 'packetLenErr',
  'addr-count-mismatch': 'packetLenErr',
  'bad-type': 'invalidTypeRcvd',
  'bad-auth-type': 'invalidAuthtype',
  'wrong-destination': 'addrListErr',
  'not-unicast-peer': 'addrListErr',
  'ah-unsupported': 'authtypeMismatch',
};

/** A packet the channel refused (before any instance looked at it). */
export function countDrop(s: VrrpStats, reason: ChannelDropReason): void {
  const c = DROP_COUNTER[reason];
  if (c !== undefined) s[c]++;
}

/** An advert the instance saw: `discard` is what the state machine said of it, if it refused it. */
export function countReceived(s: VrrpStats, priority: number, discard: DiscardReason | undefined): void {
  if (discard === 'wrong-version') return; // keepalived: vers_err, an SNMP-only counter
  if (discard === 'auth-type-mismatch') {
    s.authtypeMismatch++;
    return;
  }
  if (discard === 'auth-failure') {
    s.authFailure++;
    return;
  }
  s.advertRcvd++;
  if (discard === 'addr-count-mismatch' || discard === 'addr-missing') {
    s.addrListErr++;
    return;
  }
  if (discard === 'interval-mismatch') return;
  if (priority === 0) s.priZeroRcvd++;
}

/** keepalived: vrrp_print_stats(), instance by instance in configuration order. */
export function formatStats(entries: ReadonlyArray<readonly [string, VrrpStats]>): string {
  return entries
    .map(
      ([name, s]) =>
        `VRRP Instance: ${name}\n` +
        '  Advertisements:\n' +
        `    Received: ${s.advertRcvd}\n` +
        `    Sent: ${s.advertSent}\n` +
        `  Became master: ${s.becomeMaster}\n` +
        `  Released master: ${s.releaseMaster}\n` +
        '  Packet Errors:\n' +
        `    Length: ${s.packetLenErr}\n` +
        `    TTL: ${s.ipTtlErr}\n` +
        `    Invalid Type: ${s.invalidTypeRcvd}\n` +
        `    Advertisement Interval: ${s.advertIntervalErr}\n` +
        `    Address List: ${s.addrListErr}\n` +
        '  Authentication Errors:\n' +
        `    Invalid Type: ${s.invalidAuthtype}\n` +
        `    Type Mismatch: ${s.authtypeMismatch}\n` +
        `    Failure: ${s.authFailure}\n` +
        '  Priority Zero:\n' +
        `    Received: ${s.priZeroRcvd}\n` +
        `    Sent: ${s.priZeroSent}\n`,
    )
    .join('');
}
