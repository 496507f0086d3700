/**
 * vrrp_script result policy (pure): keepalived 2.2.7's `result` counter from
 * vrrp_scheduler.c vrrp_script_child_thread(), vrrp_init_script() and
 * vrrp.c clear_diff_script(). R consecutive successes make a script good, F
 * consecutive failures make it bad, and before the first result the first
 * result decides at once in either direction.
 */
import type { ScriptExit } from '../script/index.js';
import type { TrackerStatus } from '../vrrp/tracker.js';

export interface ScriptPolicy {
  /** Consecutive successes to become good (≥ 1). */
  readonly rise: number;
  /** Consecutive failures to become bad (≥ 1). */
  readonly fall: number;
  /** Start bad instead of unknown (keepalived: SCRIPT_INIT_STATE_FAILED). */
  readonly initFail: boolean;
}

export interface ScriptCheckState {
  /** keepalived's vscript->result: good while ≥ rise; rise + fall − 1 is fully good. */
  readonly result: number;
  /** No result yet (keepalived: SCRIPT_INIT_STATE_INIT / _INIT_RELOAD): status 'unknown'. */
  readonly isInit: boolean;
  /** Last exit status (keepalived: last_status, 0 before the first run). */
  readonly lastCode: number;
}

/** How one run ended, in keepalived's words ("VRRP_Script(x) succeeded", "… failed (exited with status 1)", "… timed_out"). */
export type ScriptOutcome =
  | { readonly type: 'succeeded'; readonly execErrno?: string }
  | { readonly type: 'failed'; readonly reason: 'exited with status'; readonly code: number }
  | { readonly type: 'failed'; readonly reason: 'due to signal'; readonly signal: string }
  | { readonly type: 'timed_out' }
  | { readonly type: 'not-run'; readonly errno: string };

export interface ScriptStep {
  readonly next: ScriptCheckState;
  /** Set when the script's status flipped (the only time a tracker reports). */
  readonly change?: TrackerStatus;
  /** keepalived logs "Script `x` now returning N" when the exit status changes. */
  readonly isCodeChanged: boolean;
}

/** Spawn failures that mean keepalived's fork() itself failed: no child, no result. */
const FORK_FAILURES = new Set(['EAGAIN', 'ENOMEM', 'EMFILE', 'ENFILE']);

/**
 * keepalived: vrrp_script_child_thread() and system_call_script().
 * - exit 0 succeeds, any other status fails;
 * - death by a signal fails; by SIGTERM/SIGKILL after our timeout it is "timed_out";
 * - a script that catches our SIGTERM and exits 0 still succeeds;
 * - the program failing to exec (ENOENT, EACCES, setuid EPERM …) succeeds: the
 *   forked child logs "Error exec-ing command" and calls exit(0);
 * - fork failing records no result at all.
 */
export function classifyExit(exit: ScriptExit): ScriptOutcome {
  if (exit.errno !== undefined || exit.error !== undefined) {
    const errno = exit.errno ?? 'EINVAL';
    return FORK_FAILURES.has(errno) ? { type: 'not-run', errno } : { type: 'succeeded', execErrno: errno };
  }
  if (exit.code !== null) return exit.code === 0 ? { type: 'succeeded' } : { type: 'failed', reason: 'exited with status', code: exit.code };
  const signal = exit.signal ?? 'unknown';
  if (exit.isTimedOut && (signal === 'SIGTERM' || signal === 'SIGKILL')) return { type: 'timed_out' };
  return { type: 'failed', reason: 'due to signal', signal };
}

/** keepalived: vrrp_init_script(): unknown starts at rise − 1 ("one success is enough"), init_fail at 0. */
export function initialScriptState(policy: ScriptPolicy): ScriptCheckState {
  return policy.initFail ? { result: 0, isInit: false, lastCode: 0 } : { result: policy.rise - 1, isInit: true, lastCode: 0 };
}

/** The status a state stands for. */
export function scriptStatus(state: ScriptCheckState, policy: ScriptPolicy): TrackerStatus {
  if (state.isInit) return { type: 'unknown' };
  return { type: state.result >= policy.rise ? 'up' : 'down' };
}

/** keepalived: vrrp_script_child_thread(), the counter part, step by step. */
export function recordOutcome(state: ScriptCheckState, policy: ScriptPolicy, outcome: ScriptOutcome): ScriptStep {
  if (outcome.type === 'not-run') return { next: state, isCodeChanged: false };
  const { rise, fall } = policy;
  let result = state.result;
  let change: TrackerStatus | undefined;
  if (outcome.type === 'succeeded') {
    if (result < rise - 1) result++;
    else if (result !== rise + fall - 1) {
      if (result < rise) change = { type: 'up' };
      result = rise + fall - 1;
    }
  } else if (result > rise) {
    result--;
  } else {
    // From unknown the first failure reports too, even though result (rise − 1) is not rise.
    if (result === rise || state.isInit) change = { type: 'down' };
    result = 0;
  }
  const code = outcome.type === 'failed' && outcome.reason === 'exited with status' ? outcome.code : outcome.type === 'succeeded' ? 0 : undefined;
  const isCodeChanged = code !== undefined && code !== state.lastCode;
  const next: ScriptCheckState = { result, isInit: false, lastCode: code ?? state.lastCode };
  return change === undefined ? { next, isCodeChanged } : { next, change, isCodeChanged };
}

/**
 * keepalived: clear_diff_script(): a script that survives a reload keeps its
 * standing, mapped onto the new rise/fall ("considered successful on reload").
 * A script that had no result yet starts over as unknown.
 */
export function carryOverOnReload(old: ScriptCheckState, oldPolicy: ScriptPolicy, policy: ScriptPolicy): ScriptCheckState {
  if (old.isInit) return { result: policy.rise - 1, isInit: true, lastCode: old.lastCode };
  let result: number;
  if (old.result < oldPolicy.rise) {
    result = old.result === 0 ? 0 : Math.max(0, policy.rise - (oldPolicy.rise - old.result));
  } else if (old.result === oldPolicy.rise + oldPolicy.fall - 1) {
    result = policy.rise + policy.fall - 1;
  } else {
    result = Math.min(policy.rise + (old.result - oldPolicy.rise), policy.rise + policy.fall - 1);
  }
  return { result, isInit: false, lastCode: old.lastCode };
}
