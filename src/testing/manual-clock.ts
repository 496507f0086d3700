import type { Clock } from '../lib/clock.js';

interface PendingTimer {
  readonly dueMs: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Upper bound on timers fired by one advance, so a 0 ms self-re-arming timer fails loudly. */
const MAX_FIRES_PER_ADVANCE = 100_000;

/**
 * A Clock that moves only when told to. advance()/advanceTo() fire every timer
 * due within the window in time order (ties in the order they were set), and
 * timers set by those callbacks fire too when they fall inside the window.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #seq = 0;
  #timers = new Map<number, PendingTimer>();

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimer(ms: number, fn: () => void): () => void {
    if (Number.isNaN(ms)) throw new RangeError('timer of NaN ms');
    const seq = this.#seq++;
    this.#timers.set(seq, { dueMs: this.#nowMs + Math.max(0, ms), seq, fn });
    return () => {
      this.#timers.delete(seq);
    };
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot advance by ${ms} ms`);
    this.advanceTo(this.#nowMs + ms);
  }

  advanceTo(targetMs: number): void {
    if (!Number.isFinite(targetMs)) throw new RangeError(`cannot advance to ${targetMs}`);
    if (targetMs < this.#nowMs) {
      throw new RangeError(`cannot go back from ${this.#nowMs} to ${targetMs}`);
    }
    for (let fired = 0; ; fired++) {
      const next = this.#earliest();
      if (next === undefined || next.dueMs > targetMs) break;
      if (fired >= MAX_FIRES_PER_ADVANCE) throw new Error('ManualClock: too many timers in one advance');
      this.#timers.delete(next.seq);
      this.#nowMs = next.dueMs;
      next.fn();
    }
    this.#nowMs = targetMs;
  }

  /** Due time of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.#earliest()?.dueMs;
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers.values()) {
      if (best === undefined || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.seq < best.seq)) {
        best = t;
      }
    }
    return best;
  }
}
