/**
 * vrrp_track_process quorum: every pollIntervalMs (default 1 s) the processes
 * running are listed through a ProcessLister port and each tracked process is
 * reported up while quorum ≤ matches ≤ quorum_max (process-match.ts).
 * keepalived learns of forks and exits from the proc connector and applies
 * fork_delay/terminate_delay; we poll and apply neither. The real lister is
 * proc-process-lister.ts.
 */
import type { TrackProcess } from '../config/schema/vrrp-track.js';
import type { Clock } from '../lib/clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { hasQuorum, processMatches, type ProcessInfo } from './process-match.js';
import { UpDownPoller } from './up-down-poller.js';

/** The processes running now. */
export type ProcessLister = () => Promise<readonly ProcessInfo[]>;

export interface ProcessTrackerDeps {
  readonly clock: Clock;
  readonly listProcesses: ProcessLister;
  /** The first observation of each tracked process, then every change; `matches` is how many run. */
  readonly onChange: (name: string, status: TrackerStatus, matches: number) => void;
  /** A listing failed; the statuses stay as they were until one succeeds. */
  readonly onError?: (err: unknown) => void;
}

export interface ProcessTrackerOptions {
  readonly processes: readonly TrackProcess[];
  /** Default 1000. */
  readonly pollIntervalMs?: number;
}

export class ProcessTracker {
  readonly #options: ProcessTrackerOptions;
  readonly #poller: UpDownPoller<number>;

  constructor(deps: ProcessTrackerDeps, options: ProcessTrackerOptions) {
    this.#options = options;
    this.#poller = new UpDownPoller({
      clock: deps.clock,
      intervalMs: options.pollIntervalMs ?? 1_000,
      observe: async () => {
        const procs = await deps.listProcesses();
        return options.processes.map((tp) => {
          const matches = procs.filter((p) => processMatches(tp, p)).length;
          return { name: tp.name, isUp: hasQuorum(tp, matches), detail: matches };
        });
      },
      onChange: deps.onChange,
      ...(deps.onError ? { onError: deps.onError } : {}),
    });
  }

  /** The last observed status, undefined before the first successful listing. */
  status(name: string): TrackerStatus | undefined {
    return this.#poller.status(name);
  }

  /** Lists once, then every interval. Resolves with the first observation of every tracked process. */
  start(): Promise<ReadonlyMap<string, TrackerStatus>> {
    return this.#poller.start(this.#options.processes.map((tp) => tp.name));
  }

  stop(): void {
    this.#poller.stop();
  }
}
