/**
 * vrrp_track_process matching, pure (keepalived 2.2.7 core/track_process.c:
 * read_procs(), check_params()). A process matches on its comm (the 15-byte
 * name in /proc/PID/stat) or, with `full_command`, on argv[0] of its cmdline;
 * `param_match` then compares the NUL-separated parameters. The tracker is up
 * while quorum ≤ matches ≤ quorum_max.
 */
import type { TrackProcess } from '../config/schema/vrrp-track.js';

export interface ProcessInfo {
  /** From /proc/PID/stat (between the parentheses). */
  readonly comm: string;
  /** /proc/PID/cmdline as text: arguments separated (and ended) by NUL. */
  readonly cmdline: string;
}

/** keepalived: check_params(). `params` is the cmdline after argv[0]'s NUL. */
function paramsMatch(tp: TrackProcess, params: string): boolean {
  const want = tp.params === undefined ? undefined : `${tp.params.join('\0')}\0`;
  if (tp.paramMatch === 'exact') return want === undefined ? params.length === 0 : params === want;
  if (want === undefined) return true;
  if (params.length < want.length) return false;
  if (tp.paramMatch === 'partial') return params.startsWith(want);
  // initial: the last parameter may be a prefix of the process's.
  return want.length === 1 || params.startsWith(want.slice(0, -1));
}

export function processMatches(tp: TrackProcess, p: ProcessInfo): boolean {
  const argv0End = p.cmdline.indexOf('\0');
  const argv0 = argv0End < 0 ? p.cmdline : p.cmdline.slice(0, argv0End);
  const name = tp.fullCommand ? argv0 : p.comm;
  if (name !== tp.process) return false;
  if (tp.paramMatch === 'none') return true;
  return paramsMatch(tp, argv0End < 0 ? '' : p.cmdline.slice(argv0End + 1));
}

export function hasQuorum(tp: TrackProcess, matches: number): boolean {
  return matches >= tp.quorum && matches <= tp.quorumMax;
}
