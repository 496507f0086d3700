/**
 * Tracked objects (track_interface, track_script, track_file, track_process,
 * track_bfd) as the VRRP core sees them: a weight and the latest status that
 * whoever runs the tracker reports (after fall/rise, debounce, quorum).
 * The core turns them into an effective priority and a fault flag.
 */

export type TrackerKind = 'interface' | 'script' | 'file' | 'process' | 'bfd';

export interface Tracker {
  readonly id: string;
  readonly kind: TrackerKind;
  /** -253..253 (track_file: -254..254); 0 makes the tracker a FAULT condition. */
  readonly weight: number;
  readonly isReversed?: boolean;
  /** Status before the first report; default: script 'unknown', file value 0, others 'up'. */
  readonly initial?: TrackerStatus;
}

export type TrackerStatus =
  | { readonly type: 'unknown' } // a vrrp_script that has not exited yet
  | { readonly type: 'up' }
  | { readonly type: 'down' }
  | { readonly type: 'value'; readonly value: number }; // track_file contents

export const OWNER_PRIORITY = 255;
const MAX_EFFECTIVE_PRIORITY = 254;
const FILE_FAULT = -254;
const FILE_MAX = 253;

export function initialStatus(t: Tracker): TrackerStatus {
  if (t.initial !== undefined) return t.initial;
  if (t.kind === 'script') return { type: 'unknown' };
  if (t.kind === 'file') return { type: 'value', value: 0 };
  return { type: 'up' };
}

function multiplier(t: Tracker): number {
  return t.isReversed === true ? -1 : 1;
}

/**
 * keepalived: process_update_vrrp_track_file_status(): value × weight × (−1 if
 * reverse), clamped to −254..253; −254 means FAULT. With weight 0 a non-zero
 * value is FAULT (reversed: a zero value).
 */
function fileStatus(t: Tracker, value: number): number {
  if (t.weight === 0) return (value !== 0) === (multiplier(t) === 1) ? FILE_FAULT : 0;
  return Math.min(FILE_MAX, Math.max(FILE_FAULT, value * t.weight * multiplier(t)));
}

function isUp(status: TrackerStatus): boolean | undefined {
  if (status.type === 'up') return true;
  if (status.type === 'down') return false;
  if (status.type === 'value') return status.value !== 0;
  return undefined;
}

/** Whether this tracker alone puts the instance in FAULT. */
export function isTrackerFaulty(t: Tracker, status: TrackerStatus): boolean {
  if (t.kind === 'file' && status.type === 'value') return fileStatus(t, status.value) === FILE_FAULT;
  if (t.weight !== 0) return false;
  const up = isUp(status);
  // keepalived: initialise_interface_tracking_priorities(): FAULT when up != (multiplier == 1).
  return up !== undefined && up !== (multiplier(t) === 1);
}

/** keepalived: vrrp_init_state(): an unreported weight-0 vrrp_script holds the instance back. */
export function isTrackerPending(t: Tracker, status: TrackerStatus): boolean {
  return t.weight === 0 && status.type === 'unknown';
}

/**
 * keepalived: process_script_update_priority() and friends: weight > 0 adds
 * weight while up; weight < 0 adds weight (subtracts) while down; reverse
 * flips the sign. Unknown contributes nothing.
 */
export function contribution(t: Tracker, status: TrackerStatus): number {
  if (t.kind === 'file' && status.type === 'value') {
    const s = fileStatus(t, status.value);
    return t.weight === 0 || s === FILE_FAULT ? 0 : s;
  }
  const up = isUp(status);
  if (t.weight === 0 || up === undefined) return 0;
  if (up) return t.weight > 0 ? t.weight * multiplier(t) : 0;
  return t.weight < 0 ? t.weight * multiplier(t) : 0;
}

/**
 * keepalived: vrrp_set_effective_priority(): base + Σ contributions, clamped to
 * 1..254; an address owner (base 255) is never changed.
 */
export function effectivePriority(
  basePriority: number,
  trackers: readonly Tracker[],
  statuses: Readonly<Record<string, TrackerStatus>>,
): number {
  if (basePriority === OWNER_PRIORITY) return OWNER_PRIORITY;
  let total = basePriority;
  for (const t of trackers) {
    const status = statuses[t.id];
    if (status !== undefined) total += contribution(t, status);
  }
  return Math.min(MAX_EFFECTIVE_PRIORITY, Math.max(1, total));
}
