import { describe, expect, it } from 'vitest';
import { initialCounter, recordResult, type ScriptCounter } from './script-hysteresis.js';

const run = (c: ScriptCounter, results: string): string =>
  [...results].map((r) => (c = recordResult(c, r === '+')).status).join(' ');

describe('vrrp_script rise/fall (keepalived 2.2.7 update_script_status)', () => {
  it('decides on the first result at start-up, either way', () => {
    expect(run(initialCounter(3, 2, false), '+')).toBe('up');
    expect(run(initialCounter(3, 2, false), '-')).toBe('down');
  });

  it('needs fall consecutive failures to go bad and rise consecutive successes to go good', () => {
    expect(run(initialCounter(3, 2, false), '+-+--')).toBe('up up up up down');
    expect(run(initialCounter(3, 2, false), '-++-+++')).toBe('down down down down down down up');
  });

  it('init_fail starts down and needs rise successes', () => {
    const c = initialCounter(2, 1, true);
    expect(c.status).toBe('down');
    expect(run(c, '++')).toBe('down up');
  });

  it('rise 1 fall 1 follows every result', () => {
    expect(run(initialCounter(1, 1, false), '+-+-')).toBe('up down up down');
  });
});
