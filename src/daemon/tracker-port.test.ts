import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedHost, readConfig } from '../config/index.js';
import type { ScriptExit } from '../script/index.js';
import { FakeScriptRunner } from '../testing/fake-script-runner.js';
import { ManualClock } from '../testing/manual-clock.js';
import { memoryFs } from '../testing/memory-fs.js';
import type { ProcessInfo } from '../track/process-match.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { createLogger } from './logger.js';
import { createTrackerPort } from './tracker-port.js';
import { planVrrp, type VrrpPlan } from './vrrp-plan.js';

// The port wires src/track's trackers to the daemon. Scripts (FakeScriptRunner) and processes
// (listProcesses) are injected; links and track files use their real readers (/sys, the file system).

const DEFINITIONS = (trackFilePath: string): string => `
global_defs {
  script_user root
  enable_script_security
}
vrrp_script chk {
  script "/usr/bin/chk arg"
  interval 2
  timeout 3
  rise 2
  fall 2
}
vrrp_script chk2 {
  script "/usr/bin/chk2"
  interval 5
}
track_file tf {
  file ${trackFilePath}
}
vrrp_track_process web {
  process nginx
  quorum 1
}
`;

/** A block of keyword lines: `track_script {\n chk\n }`. */
const block = (keyword: string, ...lines: string[]): string => `  ${keyword} {\n${lines.map((l) => `    ${l}\n`).join('')}  }`;

/** The plan of one instance that tracks `track` and not its own interface. */
function planWith(track: string, trackFilePath = '/run/tf'): VrrpPlan {
  const text = `${DEFINITIONS(trackFilePath)}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  dont_track_primary
${track}
  virtual_ipaddress {
    192.0.2.100/24
  }
}
`;
  const r = readConfig({
    path: '/k.conf',
    configId: 'n',
    cwd: '/',
    fs: memoryFs({ '/k.conf': text }),
    host: pinnedHost({ interfaces: ['lo', 'eth0', 'ka-none0'], files: { '/usr/bin/chk': {}, '/usr/bin/chk2': {} } }),
  });
  expect(r.diagnostics).toEqual([]);
  const plan = planVrrp(r.config, { primaryAddress: () => '192.0.2.12' });
  expect(plan.problems).toEqual([]);
  return plan;
}

/** createTrackerPort on a ManualClock with a FakeScriptRunner, a process list and a log sink. */
function harness(plan: VrrpPlan) {
  const clock = new ManualClock();
  const scripts = new FakeScriptRunner();
  const records: Array<Record<string, unknown>> = [];
  const reports: Array<{ at: number; id: string; status: TrackerStatus }> = [];
  const processes: ProcessInfo[] = [];
  let listed = 0;
  let onReport: (() => void) | undefined;
  const port = createTrackerPort({
    log: createLogger({ isDetailed: true, isConsole: false, destination: { write: (s: string) => void records.push(JSON.parse(s) as Record<string, unknown>) } }),
    clock,
    runScript: scripts.run,
    listProcesses: async () => {
      listed++;
      return [...processes];
    },
  });
  const running = port(plan, (id, status) => {
    reports.push({ at: clock.now(), id, status });
    onReport?.();
  });
  /** Resolves once `reports` has n entries (the real readers answer asynchronously). */
  const reportsReach = (n: number): Promise<void> =>
    new Promise((resolve) => {
      onReport = () => {
        if (reports.length >= n) resolve();
      };
      onReport();
    });
  return { clock, scripts, records, reports, processes, stop: () => running.stop(), ready: running.ready, listed: () => listed, reportsReach };
}

/** Lets promise callbacks run; no time passes on any clock. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const OK: Partial<ScriptExit> = { code: 0 };
const FAIL: Partial<ScriptExit> = { code: 1 };

describe('createTrackerPort: vrrp_script', () => {
  it.each<[string, string, readonly string[], number]>([
    ['chk (timeout 3)', 'chk', ['/usr/bin/chk', 'arg'], 3_000],
    ['chk2 (no timeout: its interval, 5)', 'chk2', ['/usr/bin/chk2'], 5_000],
  ])('%s runs at once, with its argv and that time limit', (_, name, argv, timeoutMs) => {
    const h = harness(planWith(block('track_script', name)));
    h.clock.advance(0);
    expect(h.scripts.runs.map((r) => [r.script.argv, r.options])).toEqual([[argv, { timeoutMs, onTimeout: 'terminate', killGraceMs: 2_000 }]]);
  });

  it('rise 2 / fall 2: the first result decides, then two in a row change it (keepalived counter)', async () => {
    const h = harness(planWith(block('track_script', 'chk')));
    // results every 2 s:   +   -   -   +   +   -   +
    // status:              up  up  dn  dn  up  up  up
    const results = [OK, FAIL, FAIL, OK, OK, FAIL, OK];
    for (const [i, r] of results.entries()) {
      h.clock.advance(i === 0 ? 0 : 2_000);
      h.scripts.runs[i]?.finish(r);
      await settle();
    }
    expect(h.scripts.runs).toHaveLength(7);
    expect(h.reports).toEqual([
      { at: 0, id: 'script:chk', status: { type: 'up' } },
      { at: 4_000, id: 'script:chk', status: { type: 'down' } },
      { at: 8_000, id: 'script:chk', status: { type: 'up' } },
    ]);
    expect(h.records.map((r) => [r['script'], r['msg'], r['status'], r['detail']])).toEqual([
      ['chk', 'succeeded', 'up', undefined],
      ['chk', 'failed', 'down', '(exited with status 1)'],
      ['chk', 'succeeded', 'up', undefined],
    ]);
  });

  it.each<[string, Partial<ScriptExit>, string, string | undefined]>([
    ['a non-zero exit', { code: 2 }, 'failed', '(exited with status 2)'],
    ['death by a signal', { signal: 'SIGSEGV' }, 'failed', '(due to signal SIGSEGV)'],
    ['our SIGTERM after the time limit', { signal: 'SIGTERM', isTimedOut: true }, 'timed_out', undefined],
  ])('%s is a failure, logged as keepalived does', async (_, exit, msg, detail) => {
    const h = harness(planWith(block('track_script', 'chk2')));
    h.clock.advance(0);
    h.scripts.runs[0]?.finish(exit);
    await settle();
    expect(h.reports.map((r) => r.status)).toEqual([{ type: 'down' }]);
    expect(h.records.map((r) => [r['msg'], r['detail']])).toEqual([[msg, detail]]);
  });

  it('skips (and warns about) a run while the previous one is still going', () => {
    const h = harness(planWith(block('track_script', 'chk')));
    h.clock.advance(4_000);
    expect(h.scripts.runs).toHaveLength(1);
    expect(h.records.map((r) => [r['level'], r['script'], r['msg'], r['reason']])).toEqual([
      [40, 'chk', 'script is already running - skipping run', 'already running'],
      [40, 'chk', 'script is already running - skipping run', 'being timed out'], // past its 3 s limit
    ]);
  });
});

describe('createTrackerPort: vrrp_track_process', () => {
  it('reports quorum at start, then each gain or loss, polling every second', async () => {
    const h = harness(planWith(block('track_process', 'web')));
    await h.ready;
    h.processes.push({ comm: 'nginx', cmdline: '/usr/sbin/nginx\0' });
    h.clock.advance(1_000);
    await settle();
    h.clock.advance(1_000);
    await settle();
    h.processes.length = 0;
    h.clock.advance(1_000);
    await settle();
    expect(h.reports).toEqual([
      { at: 0, id: 'process:web', status: { type: 'down' } },
      { at: 1_000, id: 'process:web', status: { type: 'up' } },
      { at: 3_000, id: 'process:web', status: { type: 'down' } },
    ]);
    expect(h.records.map((r) => r['detail'])).toEqual(['web lost quorum (0 running)', 'web has quorum (1 running)', 'web lost quorum (0 running)']);
  });
});

describe('createTrackerPort: interfaces (real /sys)', () => {
  it('reports each link once at start: lo up, a missing interface down', async () => {
    const h = harness(planWith(block('track_interface', 'lo', 'ka-none0')));
    await h.reportsReach(2);
    expect(h.reports.map((r) => [r.id, r.status.type]).sort()).toEqual([
      ['interface:ka-none0', 'down'],
      ['interface:lo', 'up'],
    ]);
    // keepalived logs a link that is down at start, not one that is simply up.
    expect(h.records.filter((r) => r['msg'] === 'Netlink reports').map((r) => r['detail'])).toEqual(['ka-none0 down']);
    h.stop();
  });
});

describe('createTrackerPort: track_file (real file)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reports the value at start and each new value at the next poll (strtol base 0)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ka-tf-'));
    const path = join(dir, 'tf');
    writeFileSync(path, '0x10\n');
    const h = harness(planWith(block('track_file', 'tf weight 1'), path));
    await h.reportsReach(1);
    writeFileSync(path, '-3\n');
    h.clock.advance(1_000);
    await h.reportsReach(2);
    h.stop();
    expect(h.reports).toEqual([
      { at: 0, id: 'file:tf', status: { type: 'value', value: 16 } },
      { at: 1_000, id: 'file:tf', status: { type: 'value', value: -3 } },
    ]);
  });
});

describe('createTrackerPort: ready', () => {
  it('settles once processes and track files are observed, without waiting for a script to finish', async () => {
    const h = harness(planWith([block('track_process', 'web'), block('track_script', 'chk'), block('track_file', 'tf')].join('\n'), '/nonexistent/ka-tf'));
    h.clock.advance(0);
    await h.ready;
    expect(h.scripts.runs).toHaveLength(1);
    expect(h.reports.map((r) => [r.id, r.status])).toEqual([
      ['process:web', { type: 'down' }],
      ['file:tf', { type: 'value', value: 0 }],
    ]);
    h.stop();
  });

  it('settles at once when nothing is tracked', async () => {
    const h = harness(planWith(''));
    await expect(h.ready).resolves.toBeUndefined();
  });
});

describe('createTrackerPort: stop', () => {
  it('stops every poll and script run, kills a running script and drops its late result', async () => {
    const h = harness(planWith([block('track_process', 'web'), block('track_script', 'chk')].join('\n')));
    h.clock.advance(0);
    await h.ready;
    const running = h.scripts.runs[0];
    const listed = h.listed();
    h.stop();
    expect(running?.isKilled).toBe(true);
    expect(h.clock.pendingTimers).toBe(0);
    h.clock.advance(60_000);
    running?.finish(OK);
    await settle();
    expect(h.scripts.runs).toHaveLength(1);
    expect(h.listed()).toBe(listed);
    expect(h.reports.map((r) => r.id)).toEqual(['process:web']);
  });
});
