/**
 * VRRP timer arithmetic: Skew_Time and Master_Down_Interval.
 *
 * keepalived computes these in integer microseconds with truncation
 * (vrrp.h VRRP_TIMER_SKEW_CALC / VRRP_MS_DOWN_TIMER); we do the same and
 * return milliseconds, so results may carry up to three decimals
 * (priority 150, v2: skew 414.062 ms, not 414.0625).
 */

export type VrrpVersion = 2 | 3;

/** keepalived.conf(5) down_timer_adverts default; RFC 5798 §6.1 fixes it at 3. */
export const DEFAULT_DOWN_TIMER_ADVERTS = 3;

export interface TimingOptions {
  /** Default 2, keepalived's default vrrp_version. */
  readonly version?: VrrpVersion;
  /** Default 3 (DEFAULT_DOWN_TIMER_ADVERTS). */
  readonly downTimerAdverts?: number;
}

const US_PER_MS = 1_000;
const US_PER_S = 1_000_000;
const US_PER_CS = 10_000;

function skewForUs(weight: number, masterAdvertIntervalUs: number, version: VrrpVersion): number {
  if (version === 3) {
    // RFC 5798 §6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256, the
    // interval in centiseconds; keepalived: VRRP_TIMER_SKEW_CALC() as (w * cs * 625) / 16 µs.
    const centis = Math.floor(masterAdvertIntervalUs / US_PER_CS);
    return Math.floor((weight * centis * 625) / 16);
  }
  // RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 seconds, independent of the interval.
  return Math.floor((weight * US_PER_S) / 256);
}

function toUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** Skew_Time for `priority` (RFC 3768 §6.1 for v2, RFC 5798 §6.1 for v3). */
export function skewMs(priority: number, masterAdvertIntervalMs: number, version: VrrpVersion = 2): number {
  return skewForUs(256 - priority, toUs(masterAdvertIntervalMs), version) / US_PER_MS;
}

/**
 * The smallest skew, as if priority were 255.
 * keepalived: VRRP_TIMER_SKEW_MIN(), used by vrrp_init_state() for a sync-group
 * member that wants MASTER while its group starts in BACKUP.
 */
export function minSkewMs(masterAdvertIntervalMs: number, version: VrrpVersion = 2): number {
  return skewForUs(1, toUs(masterAdvertIntervalMs), version) / US_PER_MS;
}

/**
 * Master_Down_Interval = down_timer_adverts * Master_Adver_Interval + Skew_Time.
 * The RFCs fix the multiplier at 3; keepalived: VRRP_MS_DOWN_TIMER() takes it
 * from down_timer_adverts.
 */
export function masterDownMs(priority: number, masterAdvertIntervalMs: number, options: TimingOptions = {}): number {
  const version = options.version ?? 2;
  const adverts = options.downTimerAdverts ?? DEFAULT_DOWN_TIMER_ADVERTS;
  const intervalUs = toUs(masterAdvertIntervalMs);
  return (adverts * intervalUs + skewForUs(256 - priority, intervalUs, version)) / US_PER_MS;
}
