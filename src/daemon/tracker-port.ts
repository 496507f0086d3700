/**
 * Runs what the VRRP instances track and reports each change under the
 * tracker ids of vrrp-plan.ts: interface link state (src/track LinkTracker,
 * /sys polled every 100 ms; keepalived listens to netlink), vrrp_script
 * (ScriptTracker: keepalived's rise/fall counter, timeout, never two runs at
 * once), track_file (FileTracker: fs.watch plus a 1 s poll; keepalived uses
 * inotify) and vrrp_track_process quorum (ProcessTracker: /proc listed every
 * second; keepalived uses the proc connector and applies fork/terminate delays).
 * `ready` settles once links, track files and processes have been observed
 * once, as keepalived has read them before vrrp_init_state(); scripts report
 * when they first finish.
 */
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
import { createProcProcessLister } from '../track/proc-process-lister.js';
import { ProcessTracker, type ProcessLister } from '../track/process-tracker.js';
import type { Logger } from './logger.js';
import type { TrackerPort } from './vrrp-daemon.js';
import { trackerId } from './vrrp-plan.js';

export interface TrackerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly runScript: ScriptRunner;
  /** The processes running now (default: read from /proc). */
  readonly listProcesses?: ProcessLister;
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
      const processes = new ProcessTracker(
        {
          clock: deps.clock,
          listProcesses: deps.listProcesses ?? createProcProcessLister(),
          onChange: (name, status, matches) => {
            const up = status.type === 'up';
            log.info({ process: name, matches, detail: `${name} ${up ? 'has' : 'lost'} quorum (${matches} running)` }, 'Track process');
            report(trackerId.process(name), status);
          },
          onError: (err) => log.warn({ err }, 'cannot list processes'),
        },
        { processes: plan.processes },
      );
      firsts.push(processes.start());
      stops.push(() => processes.stop());
    }
    return {
      ready: Promise.all(firsts).then(() => {}),
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  };
}
