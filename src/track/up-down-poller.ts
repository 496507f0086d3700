/**
 * The polling loop the link and process trackers share: observe every name
 * now and then every interval, never two observations at once, report the
 * first status of each name and then only changes, nothing after stop().
 * What "up" means is the tracker's: it passes `observe`.
 */
import type { Clock } from '../lib/clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';

export interface Observation<D> {
  readonly name: string;
  readonly isUp: boolean;
  /** Passed through to onChange (e.g. how many processes matched). */
  readonly detail: D;
}

export interface UpDownPollerDeps<D> {
  readonly clock: Clock;
  readonly intervalMs: number;
  /** One observation per name; a rejection leaves every status as it was. */
  readonly observe: () => Promise<readonly Observation<D>[]>;
  readonly onChange: (name: string, status: TrackerStatus, detail: D) => void;
  /** An observation failed (not called after stop()). */
  readonly onError?: (err: unknown) => void;
}

export class UpDownPoller<D> {
  readonly #deps: UpDownPollerDeps<D>;
  readonly #up = new Map<string, boolean>();
  #isPolling = false;
  #isStopped = false;
  #cancelPoll: (() => void) | undefined;

  constructor(deps: UpDownPollerDeps<D>) {
    this.#deps = deps;
  }

  /** The last observed status, undefined before the first observation of `name`. */
  status(name: string): TrackerStatus | undefined {
    const up = this.#up.get(name);
    return up === undefined ? undefined : { type: up ? 'up' : 'down' };
  }

  /** Observes once, then every interval. Resolves with the first status of each of `names` observed. */
  async start(names: readonly string[]): Promise<ReadonlyMap<string, TrackerStatus>> {
    this.#schedule();
    await this.#poll();
    const out = new Map<string, TrackerStatus>();
    for (const name of names) {
      const s = this.status(name);
      if (s !== undefined) out.set(name, s);
    }
    return out;
  }

  stop(): void {
    this.#isStopped = true;
    this.#cancelPoll?.();
  }

  #schedule(): void {
    if (this.#isStopped) return;
    this.#cancelPoll = this.#deps.clock.setTimer(this.#deps.intervalMs, () => {
      void this.#poll();
      this.#schedule();
    });
  }

  /** An observation still in flight makes the next poll a no-op. */
  async #poll(): Promise<void> {
    if (this.#isPolling || this.#isStopped) return;
    this.#isPolling = true;
    try {
      let seen: readonly Observation<D>[];
      try {
        seen = await this.#deps.observe();
      } catch (err) {
        if (!this.#isStopped) this.#deps.onError?.(err);
        return;
      }
      if (this.#isStopped) return;
      for (const o of seen) this.#apply(o);
    } finally {
      this.#isPolling = false;
    }
  }

  #apply(o: Observation<D>): void {
    if (this.#up.get(o.name) === o.isUp) return;
    this.#up.set(o.name, o.isUp);
    this.#deps.onChange(o.name, { type: o.isUp ? 'up' : 'down' }, o.detail);
  }
}
