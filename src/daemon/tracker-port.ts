/**
 * Runs what the VRRP instances track and reports each change under the
 * tracker ids of vrrp-plan.ts: interface link state (src/track LinkTracker,
 * /sys polled every 100 ms; keepalived listens to netlink), vrrp_script
 * (ScriptTracker: keepalived's rise/fall counter, timeout, never two runs at
 * once), track_file (FileTracker: fs.watch plus a 1 s poll; keepalived uses
 * inotify) and vrrp_track_process quorum (/proc read every second;
 * keepalived uses the proc connector and applies fork/terminate delays).
 * `ready` settles once links, track files and processes have been observed
 * once, as keepalived has read them before vrrp_init_state(); scripts report
 * when they first finish.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Clock } from '../lib/clock.js';
import type { ScriptRunner } from '../script/index.js';
import {
  createSysfsLinkReader,
  FileTracker,
  LinkTracker,
  readTrackFile,
  ScriptTracker,
  scriptTrackerOptions,
  watchDirectory,
} from '../track/index.js';
import { hasQuorum, processMatches, type ProcessInfo } from '../track/process-match.js';
import type { Logger } from './logger.js';
import type { TrackerPort } from './vrrp-daemon.js';
import { trackerId } from './vrrp-plan.js';

const PROCESS_POLL_MS = 1_000;

export interface TrackerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly runScript: ScriptRunner;
  /** The processes running now (default: read from /proc). */
  readonly listProcesses?: () => ProcessInfo[];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** Every process in /proc with its comm and cmdline; ones that vanish while being read are skipped. */
export function procProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readText(`/proc/${pid}/stat`);
    const cmdline = readText(`/proc/${pid}/cmdline`);
    if (stat === undefined || cmdline === undefined) continue;
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    // keepalived: read_procs() skips zombies (state Z), whose cmdline is empty.
    if (open < 0 || close < open || stat.charAt(close + 2) === 'Z') continue;
    out.push({ comm: stat.slice(open + 1, close), cmdline });
  }
  return out;
}

export function createTrackerPort(deps: TrackerDeps): TrackerPort {
  return (plan, report) => {
    const stops: Array<() => void> = [];
    const firsts: Array<Promise<unknown>> = [];
    const log = deps.log;
    if (plan.interfaces.length > 0) {
      const seen = new Set<string>();
      const links = new LinkTracker(
        {
          clock: deps.clock,
          readLink: createSysfsLinkReader(),
          onChange: (ifname, status) => {
            // keepalived logs changes, and a link that is down at start; not one that is simply up.
            if (seen.has(ifname) || status.type !== 'up') {
              log.info({ iface: ifname, detail: `${ifname} ${status.type === 'up' ? 'up' : 'down'}` }, 'Netlink reports');
            }
            seen.add(ifname);
            report(trackerId.interface(ifname), status);
          },
        },
        { interfaces: plan.interfaces },
      );
      firsts.push(links.start());
      stops.push(() => links.stop());
    }
    for (const [name, path] of plan.files) {
      const file = new FileTracker(
        {
          clock: deps.clock,
          readFile: readTrackFile,
          watchDirectory,
          onChange: (n, status) => report(trackerId.file(n), status),
          onInvalid: (n, text) => log.warn({ trackFile: n, detail: JSON.stringify(text) }, 'track_file holds no valid number'),
        },
        { name, path },
      );
      firsts.push(file.start());
      stops.push(() => file.stop());
    }
    for (const s of plan.scripts) {
      const slog = log.child({ script: s.name });
      const tracker = new ScriptTracker(
        {
          clock: deps.clock,
          runScript: deps.runScript,
          onChange: (n, status) => report(trackerId.script(n), status),
          onEvent: (e) => {
            if (e.type === 'skipped') slog.warn({ reason: e.reason }, 'script is already running - skipping run');
            else if (e.isStatusChange) {
              const o = e.outcome;
              if (o.type === 'succeeded' || o.type === 'not-run') slog.info({ status: e.status.type }, 'succeeded');
              else if (o.type === 'timed_out') slog.info({ status: e.status.type }, 'timed_out');
              else slog.info({ status: e.status.type, detail: o.reason === 'due to signal' ? `(due to signal ${o.signal})` : `(exited with status ${o.code})` }, 'failed');
            }
          },
        },
        scriptTrackerOptions(s),
      );
      tracker.start();
      stops.push(() => tracker.stop());
    }
    if (plan.processes.length > 0) {
      const last = new Map<string, boolean>();
      const list = deps.listProcesses ?? procProcesses;
      let cancel = (): void => {};
      const tick = (): void => {
        const procs = list();
        for (const tp of plan.processes) {
          const matches = procs.filter((p) => processMatches(tp, p)).length;
          const up = hasQuorum(tp, matches);
          if (last.get(tp.name) === up) continue;
          last.set(tp.name, up);
          log.info({ process: tp.name, matches, detail: `${tp.name} ${up ? 'has' : 'lost'} quorum (${matches} running)` }, 'Track process');
          report(trackerId.process(tp.name), { type: up ? 'up' : 'down' });
        }
        cancel = deps.clock.setTimer(PROCESS_POLL_MS, tick);
      };
      tick();
      stops.push(() => cancel());
    }
    return {
      ready: Promise.all(firsts).then(() => {}),
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  };
}
