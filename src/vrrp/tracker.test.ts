import { describe, expect, it } from 'vitest';
import {
  contribution,
  effectivePriority,
  initialStatus,
  isTrackerFaulty,
  isTrackerPending,
  type Tracker,
  type TrackerStatus,
} from './tracker.js';

const UP: TrackerStatus = { type: 'up' };
const DOWN: TrackerStatus = { type: 'down' };
const UNKNOWN: TrackerStatus = { type: 'unknown' };
const value = (v: number): TrackerStatus => ({ type: 'value', value: v });

function t(kind: Tracker['kind'], weight: number, isReversed = false): Tracker {
  return { id: 'x', kind, weight, isReversed };
}

describe('keepalived compat: tracker contribution to priority', () => {
  it.each<[string, Tracker, TrackerStatus, number, boolean]>([
    // [name, tracker, status, contribution, faulty]
    ['positive weight, up', t('script', 20), UP, 20, false],
    ['positive weight, down', t('script', 20), DOWN, 0, false],
    ['negative weight, up', t('interface', -20), UP, 0, false],
    ['negative weight, down', t('interface', -20), DOWN, -20, false],
    ['positive weight reversed, up', t('process', 20, true), UP, -20, false],
    ['positive weight reversed, down', t('process', 20, true), DOWN, 0, false],
    ['negative weight reversed, down', t('bfd', -20, true), DOWN, 20, false],
    ['weighted script not reported yet', t('script', 20), UNKNOWN, 0, false],
    ['weight 0, up', t('interface', 0), UP, 0, false],
    ['weight 0, down', t('interface', 0), DOWN, 0, true],
    ['weight 0 reversed, up', t('script', 0, true), UP, 0, true],
    ['weight 0 reversed, down', t('script', 0, true), DOWN, 0, false],
    ['weight 0 script not reported yet', t('script', 0), UNKNOWN, 0, false],
    // track_file: value × weight (× −1 reversed), clamped to −254..253, −254 is FAULT
    ['file 3 × 5', t('file', 5), value(3), 15, false],
    ['file reversed', t('file', 5, true), value(3), -15, false],
    ['file clamped high', t('file', 100), value(10), 253, false],
    ['file at -254 is FAULT', t('file', -127), value(2), 0, true],
    ['file below -254 is FAULT', t('file', -200), value(2), 0, true],
    ['file weight 0, value 0', t('file', 0), value(0), 0, false],
    ['file weight 0, non-zero value is FAULT', t('file', 0), value(7), 0, true],
    ['file weight 0 reversed, value 0 is FAULT', t('file', 0, true), value(0), 0, true],
    ['file weight 0 reversed, non-zero value', t('file', 0, true), value(1), 0, false],
  ])('%s', (_name, tracker, status, expected, faulty) => {
    expect(contribution(tracker, status)).toBe(expected);
    expect(isTrackerFaulty(tracker, status)).toBe(faulty);
  });

  it('only an unreported weight-0 tracker is pending', () => {
    expect(isTrackerPending(t('script', 0), UNKNOWN)).toBe(true);
    expect(isTrackerPending(t('script', 5), UNKNOWN)).toBe(false);
    expect(isTrackerPending(t('script', 0), UP)).toBe(false);
  });

  it('defaults: scripts unknown, files 0, others up', () => {
    expect(initialStatus(t('script', 0))).toEqual(UNKNOWN);
    expect(initialStatus(t('file', 1))).toEqual(value(0));
    expect(initialStatus(t('interface', 0))).toEqual(UP);
    expect(initialStatus({ ...t('interface', 0), initial: DOWN })).toEqual(DOWN);
  });
});

describe('keepalived compat: effective priority (vrrp_set_effective_priority)', () => {
  const trackers: Tracker[] = [
    { id: 'a', kind: 'interface', weight: 10 },
    { id: 'b', kind: 'script', weight: -20 },
  ];
  it.each<[number, Record<string, TrackerStatus>, number]>([
    [150, { a: UP, b: UP }, 160],
    [150, { a: UP, b: DOWN }, 140], // lab: 160 → 140
    [150, { a: DOWN, b: DOWN }, 130],
    [250, { a: UP, b: UP }, 254], // clamped below the owner
    [10, { a: DOWN, b: DOWN }, 1], // clamped at 1
    [255, { a: DOWN, b: DOWN }, 255], // the owner is never changed
    [150, {}, 150],
  ])('base %i with %o → %i', (base, statuses, expected) => {
    expect(effectivePriority(base, trackers, statuses)).toBe(expected);
  });
});
