/**
 * vrrp_sync_group: instances that change state together. Pure, like
 * instance.ts: stepGroup(group, event) → next group + ordered actions.
 * Follows keepalived 2.2.7's vrrp_sync.c (the RFCs have no sync groups):
 * - one member in FAULT on its own account puts every member in FAULT, and
 *   they all leave FAULT (to BACKUP) when the last such member recovers;
 * - a member whose master-down timer expires becomes MASTER only when every
 *   other member also wants MASTER, and then pulls them all to MASTER;
 * - a MASTER member that drops to BACKUP pulls the others to BACKUP.
 */
import { isOwnFaulty, isPending, step, type Action, type Instance, type VrrpEvent } from './instance.js';
import { OWNER_PRIORITY } from './tracker.js';

export type SyncGroupState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

export interface SyncGroup {
  readonly name: string;
  readonly state: SyncGroupState;
  /** In configuration order (`group { VI_1 VI_2 }`). */
  readonly memberNames: readonly string[];
  readonly members: Readonly<Record<string, Instance>>;
}

export type SyncGroupEvent =
  | { readonly type: 'start' }
  | { readonly type: 'shutdown' }
  | { readonly type: 'member-event'; readonly member: string; readonly event: VrrpEvent };

export type SyncGroupAction =
  | { readonly type: 'member'; readonly member: string; readonly action: Action }
  /** keepalived logs "VRRP_Group(G) Syncing instances to <to> state". */
  | { readonly type: 'group-transition'; readonly from: SyncGroupState; readonly to: SyncGroupState }
  | { readonly type: 'notify-group'; readonly state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' };

export interface SyncGroupStep {
  readonly next: SyncGroup;
  readonly actions: readonly SyncGroupAction[];
}

export function createSyncGroup(name: string, members: Readonly<Record<string, Instance>>): SyncGroup {
  return { name, state: 'INIT', memberNames: Object.keys(members), members };
}

export function stepGroup(g: SyncGroup, ev: SyncGroupEvent): SyncGroupStep {
  switch (ev.type) {
    case 'start':
      return startGroup(g);
    case 'shutdown':
      return shutdownGroup(g);
    case 'member-event':
      return memberEvent(g, ev.member, ev.event);
    default:
      return assertNever(ev);
  }
}

function assertNever(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

/** One step in progress: members change as events are delivered; actions accumulate in order. */
interface Run {
  readonly g: SyncGroup;
  members: Record<string, Instance>;
  readonly actions: SyncGroupAction[];
}

function begin(g: SyncGroup): Run {
  return { g, members: { ...g.members }, actions: [] };
}

function member(run: Run, name: string): Instance {
  const m = run.members[name];
  if (m === undefined) throw new Error(`sync group ${run.g.name} has no member ${name}`);
  return m;
}

function deliver(run: Run, name: string, ev: VrrpEvent): void {
  const { next, actions } = step(member(run, name), ev);
  run.members = { ...run.members, [name]: next };
  for (const action of actions) run.actions.push({ type: 'member', member: name, action });
}

/** FAULT (or not yet started) on its own account rather than because of the group. */
function isBlocking(m: Instance): boolean {
  return isOwnFaulty(m) || isPending(m);
}

function isOtherBlocking(run: Run, name: string): boolean {
  return run.g.memberNames.some((n) => n !== name && isBlocking(member(run, n)));
}

/** keepalived: vrrp_sync_can_goto_master(): only if everyone wants to, "to avoid thrashing". */
function canGoToMaster(run: Run, name: string): boolean {
  return run.g.memberNames.every((n) => n === name || member(run, n).wantState === 'MASTER');
}

/** keepalived: vrrp_init_state() with the group state from vrrp_sync_set_group(). */
function startGroup(g: SyncGroup): SyncGroupStep {
  const run = begin(g);
  const isAllOwners = g.memberNames.every((n) => {
    const m = member(run, n);
    return m.wantState === 'MASTER' && m.basePriority === OWNER_PRIORITY;
  });
  for (const n of g.memberNames) {
    if (isOtherBlocking(run, n)) deliver(run, n, { type: 'sync-fault', isFaulty: true });
  }
  for (const n of g.memberNames) deliver(run, n, { type: 'start', isHeldBySyncGroup: !isAllOwners });
  return finish(run);
}

function shutdownGroup(g: SyncGroup): SyncGroupStep {
  const run = begin(g);
  for (const n of g.memberNames) deliver(run, n, { type: 'shutdown' });
  return finish(run);
}

function memberEvent(g: SyncGroup, name: string, ev: VrrpEvent): SyncGroupStep {
  const run = begin(g);
  const before = member(run, name);
  const isDownTimer = ev.type === 'timer-fired' && ev.timer === 'master-down';
  // keepalived: vrrp_state_goto_master(): held in BACKUP until the others want MASTER too.
  const held = isDownTimer && before.state === 'BACKUP' && !canGoToMaster(run, name);
  deliver(run, name, held ? { type: 'sync-hold' } : ev);
  const after = member(run, name);
  const others = g.memberNames.filter((n) => n !== name);
  // keepalived: down_instance() → vrrp_sync_fault(); try_up_instance() counts num_member_fault.
  for (const n of others) {
    const isFaulty = isOtherBlocking(run, n);
    if (member(run, n).isGroupFault !== isFaulty) deliver(run, n, { type: 'sync-fault', isFaulty });
  }
  answerLowerForOthers(run, name);
  if (after.state === 'MASTER' && before.state !== 'MASTER') {
    // keepalived: vrrp_sync_master()
    for (const n of others) if (member(run, n).state !== 'MASTER') deliver(run, n, { type: 'sync-master' });
  } else if (after.state === 'BACKUP' && before.state === 'MASTER') {
    // keepalived: vrrp_sync_backup()
    for (const n of others) if (member(run, n).state !== 'BACKUP') deliver(run, n, { type: 'sync-backup' });
  }
  return finish(run);
}

/**
 * keepalived: vrrp_state_master_rx(): when a master member hears a lower
 * priority, the other members send their garp_lower_prio_repeat GARPs too.
 */
function answerLowerForOthers(run: Run, name: string): void {
  const heard = run.actions.some(
    (a) => a.type === 'member' && a.member === name && a.action.type === 'notify-master-rx-lower-pri',
  );
  if (!heard) return;
  for (const n of run.g.memberNames) {
    const c = member(run, n).config;
    if (n === name || member(run, n).state !== 'MASTER' || c.garpLowerPrioRepeat === 0) continue;
    run.actions.push({ type: 'member', member: n, action: { type: 'gratuitous-arp', repeat: c.garpLowerPrioRepeat } });
    if (c.garpLowerPrioDelayMs > 0) {
      const action: Action = { type: 'arm', timer: 'garp-lower-prio-delay', ms: c.garpLowerPrioDelayMs };
      run.actions.push({ type: 'member', member: n, action });
    }
  }
}

function groupState(run: Run): SyncGroupState {
  const ms = run.g.memberNames.map((n) => member(run, n));
  if (ms.every((m) => m.state === 'STOP')) return 'STOP';
  if (ms.some((m) => m.state === 'FAULT' && isOwnFaulty(m))) return 'FAULT';
  if (ms.some((m) => m.state === 'FAULT' || m.state === 'INIT')) return 'INIT';
  if (ms.every((m) => m.state === 'MASTER')) return 'MASTER';
  return 'BACKUP';
}

/** keepalived: send_group_notifies() after the members' own notifications. */
function finish(run: Run): SyncGroupStep {
  const from = run.g.state;
  const to = groupState(run);
  if (to !== from) {
    run.actions.push({ type: 'group-transition', from, to });
    if (to !== 'INIT') run.actions.push({ type: 'notify-group', state: to });
  }
  return { next: { ...run.g, state: to, members: run.members }, actions: run.actions };
}
