import { describe, expect, it } from 'vitest';
import { KaError } from '../lib/errors.js';
import type { ScriptExit } from '../script/index.js';
import {
  carryOverOnReload,
  classifyExit,
  initialScriptState,
  recordOutcome,
  type ScriptCheckState,
  type ScriptOutcome,
  type ScriptPolicy,
  scriptStatus,
} from './script-hysteresis.js';

const exit = (over: Partial<ScriptExit>): ScriptExit => ({ code: null, signal: null, isTimedOut: false, ...over });
const spawnError = (errno: string): ScriptExit =>
  exit({ errno, error: new KaError('KA_ERR_SCRIPT_SPAWN', errno, { cause: Object.assign(new Error(errno), { code: errno }) }) });

describe('classifyExit', () => {
  it.each<[string, ScriptExit, ScriptOutcome]>([
    ['exit 0 succeeds', exit({ code: 0 }), { type: 'succeeded' }],
    ['exit 1 fails', exit({ code: 1 }), { type: 'failed', reason: 'exited with status', code: 1 }],
    ['a signal fails', exit({ signal: 'SIGSEGV' }), { type: 'failed', reason: 'due to signal', signal: 'SIGSEGV' }],
    ['our SIGTERM after the timeout is timed_out', exit({ signal: 'SIGTERM', isTimedOut: true }), { type: 'timed_out' }],
    ['our SIGKILL after the grace is timed_out', exit({ signal: 'SIGKILL', isTimedOut: true }), { type: 'timed_out' }],
    ['somebody else’s SIGKILL is a plain failure', exit({ signal: 'SIGKILL' }), { type: 'failed', reason: 'due to signal', signal: 'SIGKILL' }],
    ['keepalived compat: a script that traps our SIGTERM and exits 0 succeeds', exit({ code: 0, isTimedOut: true }), { type: 'succeeded' }],
    ['keepalived compat: a program that cannot be exec-ed succeeds (the child exit(0)s)', spawnError('ENOENT'), { type: 'succeeded', execErrno: 'ENOENT' }],
    ['keepalived compat: EACCES likewise', spawnError('EACCES'), { type: 'succeeded', execErrno: 'EACCES' }],
    ['a failed fork records nothing', spawnError('EAGAIN'), { type: 'not-run', errno: 'EAGAIN' }],
  ])('%s', (_name, e, expected) => {
    expect(classifyExit(e)).toEqual(expected);
  });
});

const ok: ScriptOutcome = { type: 'succeeded' };
const ko: ScriptOutcome = { type: 'failed', reason: 'exited with status', code: 1 };
const outcomes: Record<string, ScriptOutcome> = { S: ok, F: ko, T: { type: 'timed_out' }, N: { type: 'not-run', errno: 'EAGAIN' } };

/** Feeds "SSF…" and returns what was reported at each step ('-' = nothing). */
function replay(policy: ScriptPolicy, results: string, from?: ScriptCheckState): string {
  let state = from ?? initialScriptState(policy);
  let out = '';
  for (const r of results) {
    const outcome = outcomes[r];
    if (outcome === undefined) throw new Error(`bad result ${r}`);
    const step = recordOutcome(state, policy, outcome);
    state = step.next;
    out += step.change === undefined ? '-' : step.change.type === 'up' ? 'U' : 'D';
  }
  return out;
}
const p = (rise: number, fall: number, initFail = false): ScriptPolicy => ({ rise, fall, initFail });

describe('recordOutcome (rise/fall)', () => {
  it.each<[string, ScriptPolicy, string, string]>([
    ['rise 1 fall 1: every change reports', p(1, 1), 'SFFS', 'UD-U'],
    ['from unknown the first success decides at once, whatever rise is', p(3, 2), 'S', 'U'],
    ['from unknown the first failure decides at once, whatever fall is', p(3, 2), 'F', 'D'],
    ['rise 3: three consecutive successes after a failure', p(3, 2), 'FSSS', 'D--U'],
    ['rise 3: a failure restarts the count', p(3, 2), 'FSSFSSS', 'D-----U'],
    ['fall 2: two consecutive failures', p(1, 2), 'SFF', 'U-D'],
    ['fall 3: a success resets the count', p(1, 3), 'SFFSFFF', 'U-----D'],
    ['a timeout counts as a failure', p(1, 1), 'ST', 'UD'],
    ['a run that never started changes nothing', p(1, 1), 'NNS', '--U'],
    ['init_fail: starts bad, so the first failure reports nothing', p(2, 1, true), 'FSS', '--U'],
    ['init_fail with rise 1: one success', p(1, 1, true), 'S', 'U'],
  ])('%s', (_name, policy, results, expected) => {
    expect(replay(policy, results)).toBe(expected);
  });

  it('reports the status the state stands for', () => {
    expect(scriptStatus(initialScriptState(p(2, 2)), p(2, 2))).toEqual({ type: 'unknown' });
    expect(scriptStatus(initialScriptState(p(2, 2, true)), p(2, 2, true))).toEqual({ type: 'down' });
    expect(scriptStatus(recordOutcome(initialScriptState(p(2, 2)), p(2, 2), ok).next, p(2, 2))).toEqual({ type: 'up' });
  });

  it('flags exit-status changes ("Script `x` now returning N") from an initial 0', () => {
    const policy = p(1, 1);
    let state = initialScriptState(policy);
    const flags: boolean[] = [];
    for (const o of [ok, ko, ko, { type: 'timed_out' } as const, ok]) {
      const step = recordOutcome(state, policy, o);
      flags.push(step.isCodeChanged);
      state = step.next;
    }
    expect(flags).toEqual([false, true, false, false, true]);
  });
});

describe('carryOverOnReload (keepalived: clear_diff_script())', () => {
  const state = (result: number, isInit = false): ScriptCheckState => ({ result, isInit, lastCode: 0 });
  it.each<[string, ScriptCheckState, ScriptPolicy, ScriptPolicy, ScriptCheckState]>([
    ['unknown stays unknown under the new rise', state(0, true), p(1, 1), p(3, 1), { result: 2, isInit: true, lastCode: 0 }],
    ['fully good stays fully good', state(3, false), p(2, 2), p(3, 4), state(6)],
    ['partly failed good keeps its distance from rise', state(3, false), p(2, 3), p(3, 3), state(4)],
    ['bad at 0 stays 0', state(0), p(2, 2), p(5, 5), state(0)],
    ['partly risen bad keeps its distance to rise', state(2), p(3, 1), p(5, 1), state(4)],
    ['partly risen bad never goes below 0', state(1), p(5, 1), p(2, 1), state(0)],
  ])('%s', (_name, old, oldPolicy, policy, expected) => {
    expect(carryOverOnReload(old, oldPolicy, policy)).toEqual(expected);
  });
});
