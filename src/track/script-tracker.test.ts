import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VrrpScript } from '../config/schema/vrrp-track.js';
import { systemClock } from '../lib/clock.js';
import { FakeScriptRunner } from '../testing/fake-script-runner.js';
import { createScriptRunner } from '../script/index.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { ScriptTracker, type ScriptTrackerEvent, type ScriptTrackerOptions, scriptTrackerOptions } from './script-tracker.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(over: Partial<ScriptTrackerOptions> = {}) {
  const clock = new ManualClock();
  const runner = new FakeScriptRunner();
  const changes: Array<[string, TrackerStatus['type']]> = [];
  const events: ScriptTrackerEvent[] = [];
  const options: ScriptTrackerOptions = {
    name: 'chk',
    script: { argv: ['/chk.sh', 'arg'], uid: 0, gid: 0 },
    intervalMs: 1_000,
    timeoutMs: 0,
    rise: 1,
    fall: 1,
    initFail: false,
    ...over,
  };
  const tracker = new ScriptTracker(
    {
      clock,
      runScript: runner.run,
      onChange: (name, status) => changes.push([name, status.type]),
      onEvent: (e) => events.push(e),
    },
    options,
  );
  return { clock, runner, changes, events, tracker };
}

describe('ScriptTracker (ManualClock, fake runner)', () => {
  it('keepalived compat: the first run starts at once, then every interval from the start of the previous one', async () => {
    const { clock, runner, tracker } = setup();
    tracker.start();
    clock.advance(0);
    expect(runner.runs).toHaveLength(1);
    expect(runner.runs[0]?.script.argv).toEqual(['/chk.sh', 'arg']);
    clock.advance(400);
    runner.runs[0]?.finish({ code: 0 });
    await flush();
    clock.advance(599);
    expect(runner.runs).toHaveLength(1);
    clock.advance(1);
    expect(runner.runs).toHaveLength(2);
  });

  it.each([
    ['the interval, when no timeout is set', 0, 1_000],
    ['the timeout, when set', 300, 300],
  ])('limits each run to %s, then SIGTERM and SIGKILL 2 s later', (_what, timeoutMs, expected) => {
    const { clock, runner, tracker } = setup({ timeoutMs });
    tracker.start();
    clock.advance(0);
    expect(runner.runs[0]?.options).toEqual({ timeoutMs: expected, onTimeout: 'terminate', killGraceMs: 2_000 });
  });

  it('reports status flips only, first result included', async () => {
    const { clock, runner, changes, tracker } = setup({ fall: 2 });
    expect(tracker.status).toEqual({ type: 'unknown' });
    tracker.start();
    for (const code of [0, 0, 1, 1, 1, 0]) {
      clock.advance(tracker.isRunning || runner.runs.length === 0 ? 0 : 1_000);
      runner.current?.finish({ code });
      await flush();
    }
    expect(changes).toEqual([
      ['chk', 'up'],
      ['chk', 'down'],
      ['chk', 'up'],
    ]);
    expect(tracker.status).toEqual({ type: 'up' });
  });

  it('never runs two copies: a tick while the script runs is skipped', async () => {
    const { clock, runner, events, tracker } = setup({ timeoutMs: 1_500 });
    tracker.start();
    clock.advance(0);
    clock.advance(1_000);
    expect(runner.runs).toHaveLength(1);
    expect(events).toEqual([{ type: 'skipped', name: 'chk', reason: 'already running' }]);
    clock.advance(1_000); // past the 1.5 s limit: the runner is killing it
    expect(events.at(-1)).toEqual({ type: 'skipped', name: 'chk', reason: 'being timed out' });
    runner.current?.finish({ signal: 'SIGTERM', isTimedOut: true });
    await flush();
    expect(events.at(-1)).toMatchObject({ type: 'result', outcome: { type: 'timed_out' }, status: { type: 'down' }, isStatusChange: true });
    clock.advance(1_000);
    expect(runner.runs).toHaveLength(2);
  });

  it('stop() kills a running copy, ignores its result and stops the schedule', async () => {
    const { clock, runner, changes, tracker } = setup();
    tracker.start();
    clock.advance(0);
    tracker.stop();
    expect(runner.runs[0]?.isKilled).toBe(true);
    runner.runs[0]?.finish({ code: 0 });
    await flush();
    clock.advance(10_000);
    expect(runner.runs).toHaveLength(1);
    expect(changes).toEqual([]);
  });

  it('starts bad with init_fail and reports nothing until rise successes', async () => {
    const { clock, runner, changes, tracker } = setup({ initFail: true, rise: 2 });
    expect(tracker.status).toEqual({ type: 'down' });
    tracker.start();
    for (const code of [1, 0, 0]) {
      clock.advance(runner.runs.length === 0 ? 0 : 1_000);
      runner.current?.finish({ code });
      await flush();
    }
    expect(changes).toEqual([['chk', 'up']]);
  });

  it('keepalived compat: init_fail has no effect in 2.2.7 (alloc_track_script() resets init_state)', () => {
    const vs: VrrpScript = {
      name: 'chk',
      script: { argv: ['/chk.sh'], uid: 5, gid: 6, kind: 'vrrp_script', subsystem: 'vrrp', loc: { file: 'k.conf', line: 1, col: 1 } },
      intervalMs: 2_000,
      timeoutMs: 0,
      weight: -20,
      weightReverse: false,
      rise: 2,
      fall: 3,
      initFail: true,
    };
    expect(scriptTrackerOptions(vs)).toEqual({
      name: 'chk',
      script: { argv: ['/chk.sh'], uid: 5, gid: 6 },
      intervalMs: 2_000,
      timeoutMs: 0,
      rise: 2,
      fall: 3,
      initFail: false,
    });
  });
});

describe('ScriptTracker with real processes (systemClock)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ka-script-tracker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const me = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 };

  function watch(argv: string[], over: Partial<ScriptTrackerOptions> = {}): Promise<Array<[string, ScriptTrackerEvent]>> {
    return new Promise((resolve) => {
      const seen: Array<[string, ScriptTrackerEvent]> = [];
      const tracker = new ScriptTracker(
        {
          clock: systemClock,
          runScript: createScriptRunner(),
          onChange: () => {},
          onEvent: (e) => {
            seen.push([argv[0] ?? '', e]);
            if (e.type === 'result') {
              tracker.stop();
              resolve(seen);
            }
          },
        },
        { name: path.basename(argv[0] ?? ''), script: { argv, ...me }, intervalMs: 100, timeoutMs: 0, rise: 1, fall: 1, initFail: false, ...over },
      );
      tracker.start();
    });
  }

  it('runs /bin/true, /bin/false and a script that outlives its timeout', async () => {
    const sleeper = path.join(dir, 'sleeper.sh');
    writeFileSync(sleeper, '#!/bin/sh\nexec sleep 5\n');
    chmodSync(sleeper, 0o755);
    const t0 = performance.now();
    const [ok, ko, slow] = await Promise.all([watch(['/bin/true']), watch(['/bin/false']), watch([sleeper], { timeoutMs: 150 })]);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(ok.at(-1)?.[1]).toMatchObject({ outcome: { type: 'succeeded' }, status: { type: 'up' }, isStatusChange: true });
    expect(ko.at(-1)?.[1]).toMatchObject({ outcome: { type: 'failed', code: 1 }, status: { type: 'down' }, isStatusChange: true });
    expect(slow.at(-1)?.[1]).toMatchObject({ outcome: { type: 'timed_out' }, status: { type: 'down' } });
    // 150 ms limit with a 100 ms interval: the tick at 100 ms found it still running.
    expect(slow.filter(([, e]) => e.type === 'skipped')).toHaveLength(1);
  });
});
