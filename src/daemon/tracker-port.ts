/**
 * Runs what the VRRP instances track and reports changes (tracker ids from
 * vrrp-plan.ts): interface link state (polled from /sys; keepalived listens to
 * netlink), vrrp_script runs on their interval with keepalived's rise/fall
 * counter and timeout, track_file values (polled every second; keepalived
 * uses inotify) and vrrp_track_process quorum (/proc polled every second;
 * keepalived uses the proc connector, and its fork/terminate delays are not
 * applied). See docs/compat.md for the polling differences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Clock } from '../lib/clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import type { Logger } from './logger.js';
import type { ScriptRunner } from './run-script.js';
import { hasQuorum, processMatches, type ProcessInfo } from './process-match.js';
import { initialCounter, recordResult, type ScriptCounter } from './script-hysteresis.js';
import type { TrackerPort } from './vrrp-daemon.js';
import { trackerId } from './vrrp-plan.js';

const LINK_POLL_MS = 100;
const FILE_POLL_MS = 1_000;
const PROCESS_POLL_MS = 1_000;

export interface TrackerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly runScript: ScriptRunner;
  /** Reads a small text file; undefined when it is missing. */
  readonly readText?: (path: string) => string | undefined;
  /** The processes running now (default: read from /proc). */
  readonly listProcesses?: () => ProcessInfo[];
}

/** Every process in /proc with its comm and cmdline; ones that vanish while being read are skipped. */
export function procProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readTextFile(`/proc/${pid}/stat`);
    const cmdline = readTextFile(`/proc/${pid}/cmdline`);
    if (stat === undefined || cmdline === undefined) continue;
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    // keepalived: read_procs() skips zombies (state Z), whose cmdline is empty.
    if (open < 0 || close < open || stat.charAt(close + 2) === 'Z') continue;
    out.push({ comm: stat.slice(open + 1, close), cmdline });
  }
  return out;
}

const readTextFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** keepalived's IF_ISUP: administratively up and running (carrier). A missing interface is down. */
export function isLinkUp(read: (path: string) => string | undefined, ifname: string): boolean {
  const flags = Number.parseInt(read(`/sys/class/net/${ifname}/flags`) ?? '0', 16);
  const carrier = read(`/sys/class/net/${ifname}/carrier`)?.trim();
  return (flags & 0x1) !== 0 && carrier === '1';
}

/** track_file: the file's leading integer (strtol); a missing or unreadable file counts as 0. */
export function trackFileValue(text: string | undefined): number {
  const m = /^\s*([+-]?\d+)/.exec(text ?? '');
  return m === null ? 0 : Number.parseInt(m[1] ?? '0', 10);
}

/** Calls fn now and then every ms until stopped. */
function every(clock: Clock, ms: number, fn: () => void): () => void {
  let cancel = (): void => {};
  let isStopped = false;
  const tick = (): void => {
    if (isStopped) return;
    fn();
    cancel = clock.setTimer(ms, tick);
  };
  tick();
  return () => {
    isStopped = true;
    cancel();
  };
}

export function createTrackerPort(deps: TrackerDeps): TrackerPort {
  const read = deps.readText ?? readTextFile;
  return (plan, report) => {
    const stops: Array<() => void> = [];
    for (const ifname of plan.interfaces) {
      let last: boolean | undefined;
      stops.push(
        every(deps.clock, LINK_POLL_MS, () => {
          const up = isLinkUp(read, ifname);
          if (up === last) return;
          if (last !== undefined || !up) deps.log.info({ iface: ifname, detail: `${ifname} ${up ? 'up' : 'down'}` }, 'Netlink reports');
          last = up;
          report(trackerId.interface(ifname), { type: up ? 'up' : 'down' });
        }),
      );
    }
    for (const [name, path] of plan.files) {
      let last: number | undefined;
      stops.push(
        every(deps.clock, FILE_POLL_MS, () => {
          const value = trackFileValue(read(path));
          if (value === last) return;
          last = value;
          report(trackerId.file(name), { type: 'value', value });
        }),
      );
    }
    if (plan.processes.length > 0) {
      const last = new Map<string, boolean>();
      const list = deps.listProcesses ?? procProcesses;
      stops.push(
        every(deps.clock, PROCESS_POLL_MS, () => {
          const procs = list();
          for (const tp of plan.processes) {
            const matches = procs.filter((p) => processMatches(tp, p)).length;
            const up = hasQuorum(tp, matches);
            if (last.get(tp.name) === up) continue;
            last.set(tp.name, up);
            deps.log.info({ process: tp.name, matches, detail: `${tp.name} ${up ? 'has' : 'lost'} quorum (${matches} running)` }, 'Track process');
            report(trackerId.process(tp.name), { type: up ? 'up' : 'down' });
          }
        }),
      );
    }
    for (const s of plan.scripts) {
      let counter: ScriptCounter = initialCounter(s.rise, s.fall, s.initFail);
      let isStopped = false;
      const log = deps.log.child({ script: s.name });
      stops.push(
        every(deps.clock, s.intervalMs, () => {
          void deps.runScript(s.script, { timeoutMs: s.timeoutMs > 0 ? s.timeoutMs : s.intervalMs, killAfterMs: 2_000 }).then((r) => {
            if (isStopped) return;
            const ok = r.code === 0 && !r.isTimedOut;
            const before = counter.status;
            counter = recordResult(counter, ok);
            if (counter.status === before) return;
            const why = r.signal !== null ? `(due to signal ${r.signal})` : `(exited with status ${r.code ?? r.error ?? '?'})`;
            if (ok) log.info({ status: 'up' }, 'succeeded');
            else if (r.isTimedOut) log.info({ status: 'down' }, 'timed_out');
            else log.info({ status: 'down', detail: why }, 'failed');
            const status: TrackerStatus = { type: counter.status === 'up' ? 'up' : 'down' };
            report(trackerId.script(s.name), status);
          });
        }),
      );
      stops.push(() => {
        isStopped = true;
      });
    }
    return () => {
      for (const stop of stops) stop();
    };
  };
}
