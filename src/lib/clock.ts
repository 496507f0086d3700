/**
 * The time port. Everything that waits goes through a Clock so tests can use
 * ManualClock (src/testing/manual-clock.ts) instead of real time.
 */
export interface Clock {
  /** Monotonic milliseconds (performance.now based); fractions are allowed. */
  now(): number;
  /** Calls fn once after ms; returns a function that cancels it (idempotent). */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};
