import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in time order, ties in the order they were set', () => {
    const clock = new ManualClock(100);
    const seen: string[] = [];
    clock.setTimer(30, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(31, () => seen.push('late'));
    clock.advance(30);
    expect(seen).toEqual(['a@110', 'b@110', 'c@130']);
    expect(clock.now()).toBe(130);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(131);
  });

  it('fires timers set by callbacks when they fall inside the window', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const tick = () => {
      seen.push(clock.now());
      clock.setTimer(1_000, tick);
    };
    clock.setTimer(0, tick);
    clock.advanceTo(3_000);
    expect(seen).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it('cancels', () => {
    const clock = new ManualClock();
    let fired = false;
    const cancel = clock.setTimer(5, () => {
      fired = true;
    });
    cancel();
    cancel();
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.nextTimerAt()).toBeUndefined();
  });

  it('refuses to go back, to NaN, or to spin forever', () => {
    const clock = new ManualClock(10);
    expect(() => clock.advanceTo(9)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advanceTo(Number.NaN)).toThrow(RangeError);
    const spin = () => {
      clock.setTimer(0, spin);
    };
    clock.setTimer(0, spin);
    expect(() => clock.advance(0)).toThrow(/too many timers/);
  });
});
