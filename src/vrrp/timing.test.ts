import { describe, expect, it } from 'vitest';
import { DEFAULT_DOWN_TIMER_ADVERTS, masterDownMs, minSkewMs, skewMs } from './timing.js';

describe('skewMs', () => {
  // RFC 3768 §6.1: (256 - Priority) / 256 s, whatever the interval; truncated to whole µs like keepalived.
  it.each([
    [100, 1_000, 609.375],
    [150, 1_000, 414.062], // 414062.5 µs truncated
    [200, 1_000, 218.75],
    [254, 1_000, 7.812], // 7812.5 µs
    [255, 1_000, 3.906],
    [1, 1_000, 996.093],
    [100, 5_000, 609.375], // v2 skew ignores the interval
  ])('v2: priority %i, interval %i ms → %f ms', (priority, intervalMs, expected) => {
    expect(skewMs(priority, intervalMs, 2)).toBe(expected);
  });

  // RFC 5798 §6.1: ((256 - Priority) * Master_Adver_Interval) / 256, interval in centiseconds.
  it.each([
    [100, 1_000, 609.375],
    [100, 500, 304.687], // lab: takeover 0.305 s after a priority-0 advert at 0.5 s
    [150, 1_000, 414.062],
    [200, 100, 21.875],
    [255, 50, 0.195],
    [100, 1_005, 609.375], // intervals count in whole centiseconds
  ])('v3: priority %i, master interval %i ms → %f ms', (priority, intervalMs, expected) => {
    expect(skewMs(priority, intervalMs, 3)).toBe(expected);
  });

  it('defaults to v2', () => {
    expect(skewMs(100, 500)).toBe(609.375);
  });

  it('v3 stays within 1 µs of the RFC formula for every priority', () => {
    const diffs: number[] = [];
    for (let p = 1; p <= 255; p++) {
      for (const intervalMs of [10, 100, 370, 1_000, 40_950]) {
        diffs.push(((256 - p) * intervalMs) / 256 - skewMs(p, intervalMs, 3));
      }
    }
    expect(Math.min(...diffs)).toBeGreaterThanOrEqual(-1e-9);
    expect(Math.max(...diffs)).toBeLessThan(0.001 + 1e-9);
  });
});

describe('minSkewMs', () => {
  it.each([
    [1_000, 2 as const, 3.906],
    [1_000, 3 as const, 3.906],
    [50, 3 as const, 0.195],
  ])('interval %i ms, v%i → %f ms (as priority 255)', (intervalMs, version, expected) => {
    expect(minSkewMs(intervalMs, version)).toBe(expected);
    expect(minSkewMs(intervalMs, version)).toBe(skewMs(255, intervalMs, version));
  });
});

describe('masterDownMs', () => {
  it('multiplies by 3 by default (RFC 5798 §6.1)', () => {
    expect(DEFAULT_DOWN_TIMER_ADVERTS).toBe(3);
  });

  it.each([
    // lab: prio 100, v2, 1 s → BACKUP→MASTER after 3.609 s; prio 150 → 3.414 s
    [100, 1_000, {}, 3_609.375],
    [150, 1_000, {}, 3_414.062],
    [100, 2_000, { version: 2 as const }, 6_609.375],
    [100, 500, { version: 3 as const }, 1_804.687],
    [200, 1_000, { version: 3 as const }, 3_218.75],
  ])('priority %i, interval %i ms, %o → %f ms', (priority, intervalMs, options, expected) => {
    expect(masterDownMs(priority, intervalMs, options)).toBe(expected);
  });

  it.each([
    [1, 1_609.375],
    [5, 5_609.375],
    [100, 100_609.375],
  ])('keepalived compat: down_timer_adverts %i replaces the fixed 3 → %f ms', (adverts, expected) => {
    expect(masterDownMs(100, 1_000, { downTimerAdverts: adverts })).toBe(expected);
  });
});
