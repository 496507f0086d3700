import { describe, expect, it } from 'vitest';
import { createInstance, type InstanceOptions, type VrrpEvent } from './instance.js';
import { createSyncGroup, stepGroup, type SyncGroup, type SyncGroupAction, type SyncGroupEvent } from './sync-group.js';
import type { Tracker } from './tracker.js';

const base = { primaryAddress: '192.0.2.11', vips: ['192.0.2.100'] };

function group(vi1: Partial<InstanceOptions> = {}, vi2: Partial<InstanceOptions> = {}): SyncGroup {
  return createSyncGroup('G1', {
    VI_1: createInstance({ ...base, vrid: 51, ...vi1 }),
    VI_2: createInstance({ ...base, vrid: 52, ...vi2 }),
  });
}

function run(g: SyncGroup, events: readonly SyncGroupEvent[]): { g: SyncGroup; actions: readonly SyncGroupAction[] } {
  let actions: readonly SyncGroupAction[] = [];
  for (const ev of events) {
    const r = stepGroup(g, ev);
    g = r.next;
    actions = r.actions;
  }
  return { g, actions };
}

const member = (name: string, event: VrrpEvent): SyncGroupEvent => ({
  type: 'member-event',
  member: name,
  event,
});
const DOWN_TIMER: VrrpEvent = { type: 'timer-fired', timer: 'master-down' };

function states(g: SyncGroup): string[] {
  return g.memberNames.map((n) => g.members[n]?.state ?? '?');
}

function groupActions(actions: readonly SyncGroupAction[]): SyncGroupAction[] {
  return actions.filter((a) => a.type !== 'member');
}

describe('keepalived compat: vrrp_sync_group', () => {
  it('starts all members in BACKUP and notifies the group', () => {
    const { g, actions } = run(group(), [{ type: 'start' }]);
    expect(states(g)).toEqual(['BACKUP', 'BACKUP']);
    expect(g.state).toBe('BACKUP');
    expect(groupActions(actions)).toEqual([
      { type: 'group-transition', from: 'INIT', to: 'BACKUP' },
      { type: 'notify-group', state: 'BACKUP' },
    ]);
  });

  it('a member failing at start puts the whole group in FAULT; only it notifies FAULT', () => {
    const eth1: Tracker = { id: 'eth1', kind: 'interface', weight: 0, initial: { type: 'down' } };
    const { g, actions } = run(group({}, { trackers: [eth1] }), [{ type: 'start' }]);
    expect(states(g)).toEqual(['FAULT', 'FAULT']);
    expect(g.state).toBe('FAULT');
    const notifies = actions.flatMap((a) => (a.type === 'member' && a.action.type === 'notify' ? [a.member] : []));
    expect(notifies).toEqual(['VI_2']);
    expect(groupActions(actions).at(-1)).toEqual({ type: 'notify-group', state: 'FAULT' });
  });

  it('an unreported weight-0 script holds every member until it reports', () => {
    const chk: Tracker = { id: 'chk', kind: 'script', weight: 0 };
    const started = run(group({ trackers: [chk] }), [{ type: 'start' }]);
    expect(states(started.g)).toEqual(['FAULT', 'FAULT']);
    expect(started.g.state).toBe('INIT');
    expect(groupActions(started.actions)).toEqual([]);
    const ready = run(started.g, [member('VI_1', { type: 'track-changed', tracker: 'chk', status: { type: 'up' } })]);
    expect(states(ready.g)).toEqual(['BACKUP', 'BACKUP']);
    expect(groupActions(ready.actions)).toEqual([
      { type: 'group-transition', from: 'INIT', to: 'BACKUP' },
      { type: 'notify-group', state: 'BACKUP' },
    ]);
  });

  it('a member whose down timer fires first is held until the others want MASTER too', () => {
    const held = run(group(), [{ type: 'start' }, member('VI_1', DOWN_TIMER)]);
    expect(states(held.g)).toEqual(['BACKUP', 'BACKUP']);
    expect(held.g.members.VI_1?.wantState).toBe('MASTER');
    expect(held.actions).toEqual([{ type: 'member', member: 'VI_1', action: { type: 'arm', timer: 'master-down', ms: 3_609.375 } }]);
    const both = run(held.g, [member('VI_2', DOWN_TIMER)]);
    expect(states(both.g)).toEqual(['MASTER', 'MASTER']);
    const order = both.actions.flatMap((a) => (a.type === 'member' && a.action.type === 'transition' ? [`${a.member}:${a.action.reason}`] : []));
    expect(order).toEqual(['VI_2:master-down', 'VI_1:sync-group']);
    expect(groupActions(both.actions).at(-1)).toEqual({ type: 'notify-group', state: 'MASTER' });
  });

  it('an accepted advert cancels a held wish for MASTER', () => {
    const advert = {
      version: 2 as const,
      family: 4 as const,
      vrid: 51,
      priority: 200,
      advertIntervalMs: 1_000,
      addresses: ['192.0.2.100'],
      auth: { type: 'none' as const },
    };
    const { g } = run(group(), [
      { type: 'start' },
      member('VI_1', DOWN_TIMER),
      member('VI_1', { type: 'advert-received', advert, from: '192.0.2.1' }),
      member('VI_2', DOWN_TIMER),
    ]);
    expect(states(g)).toEqual(['BACKUP', 'BACKUP']);
  });

  it('a master member hearing a lower priority makes the other masters send GARPs too', () => {
    const masters = run(group({}, { garpLowerPrioRepeat: 2, garpLowerPrioDelayMs: 0 }), [
      { type: 'start' },
      member('VI_2', DOWN_TIMER),
      member('VI_1', DOWN_TIMER),
    ]).g;
    expect(states(masters)).toEqual(['MASTER', 'MASTER']);
    const advert = {
      version: 2 as const,
      family: 4 as const,
      vrid: 51,
      priority: 50,
      advertIntervalMs: 1_000,
      addresses: ['192.0.2.100'],
      auth: { type: 'none' as const },
    };
    const { actions } = run(masters, [member('VI_1', { type: 'advert-received', advert, from: '192.0.2.1' })]);
    expect(actions.filter((a) => a.type === 'member' && a.member === 'VI_2')).toEqual([
      { type: 'member', member: 'VI_2', action: { type: 'gratuitous-arp', repeat: 2 } },
    ]);
  });

  it('an all-owner group starts MASTER at once', () => {
    const { g, actions } = run(group({ priority: 255 }, { priority: 255 }), [{ type: 'start' }]);
    expect(states(g)).toEqual(['MASTER', 'MASTER']);
    expect(groupActions(actions).at(-1)).toEqual({ type: 'notify-group', state: 'MASTER' });
  });

  it('an owner in a mixed group starts BACKUP with one interval plus the minimal skew', () => {
    const { g, actions } = run(group({ priority: 255 }), [{ type: 'start' }]);
    expect(states(g)).toEqual(['BACKUP', 'BACKUP']);
    expect(actions).toContainEqual({ type: 'member', member: 'VI_1', action: { type: 'arm', timer: 'master-down', ms: 1_003.906 } });
  });

  it('shutdown stops every member and notifies the group STOP', () => {
    const { g, actions } = run(group(), [{ type: 'start' }, { type: 'shutdown' }]);
    expect(states(g)).toEqual(['STOP', 'STOP']);
    expect(groupActions(actions).at(-1)).toEqual({ type: 'notify-group', state: 'STOP' });
  });

  it('rejects an event for a stranger', () => {
    expect(() => stepGroup(group(), member('VI_9', DOWN_TIMER))).toThrow(/no member VI_9/);
  });
});
