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
  readonly #deps: ProcessTrackerDeps;
  readonly #options: ProcessTrackerOptions;
  readonly #up = new Map<string, boolean>();
  #isPolling = false;
  #isStopped = false;
  #cancelPoll: (() => void) | undefined;

  constructor(deps: ProcessTrackerDeps, options: ProcessTrackerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** The last observed status, undefined before the first successful listing. */
  status(name: string): TrackerStatus | undefined {
    const up = this.#up.get(name);
    return up === undefined ? undefined : { type: up ? 'up' : 'down' };
  }

  /** Lists once, then every interval. Resolves with the first observation of every tracked process. */
  async start(): Promise<ReadonlyMap<string, TrackerStatus>> {
    this.#schedule();
    await this.#poll();
    const out = new Map<string, TrackerStatus>();
    for (const tp of this.#options.processes) {
      const s = this.status(tp.name);
      if (s !== undefined) out.set(tp.name, s);
    }
    return out;
  }

  stop(): void {
    this.#isStopped = true;
    this.#cancelPoll?.();
  }

  #schedule(): void {
    if (this.#isStopped) return;
    this.#cancelPoll = this.#deps.clock.setTimer(this.#options.pollIntervalMs ?? 1_000, () => {
      void this.#poll();
      this.#schedule();
    });
  }

  /** A listing still in flight makes the next poll a no-op. */
  async #poll(): Promise<void> {
    if (this.#isPolling || this.#isStopped) return;
    this.#isPolling = true;
    try {
      let procs: readonly ProcessInfo[];
      try {
        procs = await this.#deps.listProcesses();
      } catch (err) {
        if (!this.#isStopped) this.#deps.onError?.(err);
        return;
      }
      if (this.#isStopped) return;
      for (const tp of this.#options.processes) {
        const matches = procs.filter((p) => processMatches(tp, p)).length;
        this.#apply(tp.name, hasQuorum(tp, matches), matches);
      }
    } finally {
      this.#isPolling = false;
    }
  }

  #apply(name: string, isUp: boolean, matches: number): void {
    if (this.#up.get(name) === isUp) return;
    this.#up.set(name, isUp);
    this.#deps.onChange(name, { type: isUp ? 'up' : 'down' }, matches);
  }
}
