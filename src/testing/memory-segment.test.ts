import { describe, expect, it } from 'vitest';
import type { Advert } from '../vrrp/advert.js';
import { ManualClock } from './manual-clock.js';
import { MemorySegment } from './memory-segment.js';

const advert = (priority: number): Advert => ({
  version: 2,
  family: 4,
  vrid: 51,
  priority,
  advertIntervalMs: 1_000,
  addresses: ['192.0.2.100'],
  auth: { type: 'none' },
});

function setup(latencyMs = 0) {
  const clock = new ManualClock();
  const seg = new MemorySegment(clock, { latencyMs });
  const got: Record<string, string[]> = { a: [], b: [], c: [] };
  const port = (id: string) => seg.attach(id, `10.0.0.${id.charCodeAt(0)}`, (adv, from) => got[id]?.push(`${adv.priority}@${from}@${clock.now()}`));
  return { clock, seg, got, a: port('a'), b: port('b'), c: port('c') };
}

describe('MemorySegment', () => {
  it('delivers to every other router through the clock, never inside send()', () => {
    const { clock, seg, got, a } = setup(2);
    a.send(advert(100));
    expect(got.b).toEqual([]);
    clock.advance(2);
    expect(got).toEqual({ a: [], b: ['100@10.0.0.97@2'], c: ['100@10.0.0.97@2'] });
    expect(seg.lastAdvertFrom('a')).toMatchObject({ at: 0, from: 'a', address: '10.0.0.97', deliveredTo: ['b', 'c'] });
  });

  it('partitions and heals', () => {
    const { clock, seg, got, a, c } = setup();
    seg.partition(['a'], ['b']);
    a.send(advert(1));
    c.send(advert(2));
    clock.advance(0);
    expect(got).toEqual({ a: [], b: [], c: [] }); // c is in the group of the unlisted
    seg.heal();
    a.send(advert(3));
    clock.advance(0);
    expect(got.b).toEqual(['3@10.0.0.97@0']);
  });

  it('drops what the rule matches until the rule is removed', () => {
    const { clock, seg, got, a } = setup();
    const stop = seg.drop(({ to, advert: adv }) => to === 'b' && adv.priority === 0);
    a.send(advert(0));
    a.send(advert(5));
    stop();
    a.send(advert(0));
    clock.advance(0);
    expect(got.b).toEqual(['5@10.0.0.97@0', '0@10.0.0.97@0']);
    expect(seg.advertsFrom('a').map((s) => s.deliveredTo)).toEqual([['c'], ['b', 'c'], ['b', 'c']]);
  });

  it('does not deliver to a router that left, and refuses sends from it', () => {
    const { clock, seg, got, a, b } = setup(1);
    a.send(advert(9));
    b.detach();
    clock.advance(1);
    expect(got.b).toEqual([]);
    expect(() => b.send(advert(1))).toThrow(/detached/);
    expect(() => seg.attach('a', '10.0.0.1', () => {})).toThrow(/already attached/);
    expect(() => seg.lastAdvertFrom({ id: 'c' })).toThrow(/no advert/);
  });
});
