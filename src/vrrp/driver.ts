/**
 * The VRRP driver: owns a router's instances (and their sync groups), feeds
 * them events, runs their timers on an injected Clock and hands every other
 * action to its ports. It makes no protocol decisions (those are step() and
 * stepGroup()); it only keeps the invariants a driver owes the core:
 * one timer per name, never an advert with priority > 0 outside MASTER,
 * never VIPs claimed twice.
 */
import type { Clock } from '../lib/clock.js';
import type { Advert, IpFamily } from './advert.js';
import { createInstance, step, type Action, type DiscardReason, type Instance, type InstanceOptions, type TimerName, type VrrpEvent } from './instance.js';
import { createSyncGroup, stepGroup, type SyncGroup, type SyncGroupAction, type SyncGroupEvent } from './sync-group.js';
import type { TrackerStatus } from './tracker.js';

export interface DriverInstanceOptions extends InstanceOptions {
  /** Address family of the adverts this instance sends. */
  readonly family: IpFamily;
}

export interface DriverOptions {
  /** By name, in configuration order. */
  readonly instances: Readonly<Record<string, DriverInstanceOptions>>;
  /** vrrp_sync_group name → member instance names, in configuration order. */
  readonly syncGroups?: Readonly<Record<string, readonly string[]>>;
}

export interface DriverPorts {
  readonly clock: Clock;
  /** Put one advert on the wire for the instance. */
  readonly sendAdvert: (instance: string, advert: Advert) => void;
  /**
   * Every action, in order, after the instance's new state is recorded and after the driver's own
   * part of it (timers, the advert) is done: the port acts on claim-vips, release-vips,
   * gratuitous-arp, notify…, and may log the rest. Exception: start() and shutdown() hand over the
   * notify actions (and performGroup's notify-group) after all the other actions, in keepalived's order.
   */
  readonly perform: (instance: string, action: Action, state: Instance) => void;
  /** Sync group actions: group-transition and notify-group. */
  readonly performGroup?: (group: string, action: Exclude<SyncGroupAction, { type: 'member' }>) => void;
}

/** What receive() did with an advert for one instance. */
export interface ReceiveResult {
  readonly name: string;
  /** Why the state machine discarded it (its 'discard-advert' action), if it did. */
  readonly discard: DiscardReason | undefined;
}

interface MemberAction {
  readonly member: string;
  readonly action: Action;
}

type DeferredNotify =
  | { readonly kind: 'instance'; readonly name: string; readonly action: Extract<Action, { type: 'notify' }> }
  | { readonly kind: 'group'; readonly group: string; readonly action: Extract<SyncGroupAction, { type: 'notify-group' }> };

interface ArmedTimer {
  readonly dueMs: number;
  readonly cancel: () => void;
}

export class VrrpDriver {
  readonly #ports: DriverPorts;
  readonly #options: DriverOptions;
  #instances: Record<string, Instance> = {};
  #groups: Record<string, SyncGroup> = {};
  /** Instance name → its sync group's name. */
  readonly #groupOf = new Map<string, string>();
  readonly #timers = new Map<string, ArmedTimer>();
  readonly #vipsHeld = new Set<string>();
  /** Instances that were MASTER when the step being run began: they may still send its adverts. */
  readonly #wasMaster = new Set<string>();
  /** The latest status of every tracker reported so far, running or not: start() begins from them. */
  readonly #reported = new Map<string, TrackerStatus>();
  /** During start() and shutdown(): notifications waiting to go out in keepalived's order. */
  #heldNotifies: DeferredNotify[] | undefined;
  #isRunning = false;

  constructor(ports: DriverPorts, options: DriverOptions) {
    this.#ports = ports;
    this.#options = options;
    for (const [group, members] of Object.entries(options.syncGroups ?? {})) {
      for (const m of members) {
        if (options.instances[m] === undefined) throw new Error(`sync group ${group} names unknown instance ${m}`);
        if (this.#groupOf.has(m)) throw new Error(`instance ${m} is in two sync groups`);
        this.#groupOf.set(m, group);
      }
    }
  }

  get isRunning(): boolean {
    return this.#isRunning;
  }

  get names(): readonly string[] {
    return Object.keys(this.#options.instances);
  }

  instance(name: string): Instance {
    const group = this.#groupOf.get(name);
    const inst = group === undefined ? this.#instances[name] : this.#groups[group]?.members[name];
    if (inst === undefined) throw new Error(`no VRRP instance ${name}`);
    return inst;
  }

  group(name: string): SyncGroup | undefined {
    return this.#groups[name];
  }

  family(name: string): IpFamily {
    const o = this.#options.instances[name];
    if (o === undefined) throw new Error(`no VRRP instance ${name}`);
    return o.family;
  }

  holdsVips(name: string): boolean {
    return this.#vipsHeld.has(name);
  }

  /**
   * Fresh instances, as at process start: INIT, then 'start' (groups first, in configuration order).
   * Trackers reported before now count from the beginning: keepalived reads interfaces, track files
   * and processes before vrrp_init_state(), so an instance can start in FAULT or at a lowered priority.
   */
  start(): void {
    if (this.#isRunning) throw new Error('VRRP driver already running');
    this.#isRunning = true;
    const fresh = Object.fromEntries(Object.entries(this.#options.instances).map(([n, o]) => [n, createInstance(this.#withReported(o))]));
    this.#instances = {};
    this.#groups = {};
    for (const [name, inst] of Object.entries(fresh)) if (!this.#groupOf.has(name)) this.#instances[name] = inst;
    for (const [group, members] of Object.entries(this.#options.syncGroups ?? {})) {
      this.#groups[group] = createSyncGroup(group, Object.fromEntries(members.map((m) => [m, fresh[m] as Instance])));
    }
    const notifies = this.#deferringNotifies(() => {
      for (const group of Object.keys(this.#groups)) this.#stepGroup(group, { type: 'start' });
      for (const name of Object.keys(this.#instances)) this.dispatch(name, { type: 'start' });
    });
    // keepalived: vrrp_init_state(): first every sync group's notify, then every instance's, in
    // configuration order. An address owner only becomes MASTER (and says so) on its first timer.
    const isMaster = (n: DeferredNotify): boolean => n.action.state === 'MASTER';
    this.#sendNotifies([...this.#inConfigOrder(notifies.filter((n) => !isMaster(n)), 'group'), ...notifies.filter(isMaster)]);
  }

  /** SIGTERM: every instance gets 'shutdown' (a MASTER says goodbye with priority 0), then timers stop. */
  shutdown(): void {
    if (!this.#isRunning) return;
    const notifies = this.#deferringNotifies(() => {
      for (const group of Object.keys(this.#groups)) this.#stepGroup(group, { type: 'shutdown' });
      for (const name of Object.keys(this.#instances)) this.dispatch(name, { type: 'shutdown' });
    });
    // keepalived: notify_shutdown(), after restore_vrrp_interfaces(): every instance's STOP, then every group's.
    this.#sendNotifies(this.#inConfigOrder(notifies, 'instance'));
    this.stop();
  }

  /** Stops without a word (a crash, or after shutdown): timers cancelled, nothing sent. */
  stop(): void {
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
    this.#vipsHeld.clear();
    this.#isRunning = false;
  }

  /**
   * An advert that passed the codec, for every instance with its VRID and family (and `only`).
   * Returns the instances that got it, each with the reason its state machine discarded it, if it did.
   */
  receive(advert: Advert, from: string, only?: (name: string) => boolean): ReceiveResult[] {
    if (!this.#isRunning) return [];
    const out: ReceiveResult[] = [];
    for (const [name, o] of Object.entries(this.#options.instances)) {
      if (o.vrid !== advert.vrid || o.family !== advert.family) continue;
      if (only !== undefined && !only(name)) continue;
      let discard: DiscardReason | undefined;
      for (const { member, action } of this.#dispatch(name, { type: 'advert-received', advert, from })) {
        if (member === name && action.type === 'discard-advert') discard = action.reason;
      }
      out.push({ name, discard });
    }
    return out;
  }

  /** Report a tracker's status to every instance that tracks it; before start() it becomes their initial status. */
  setTracker(tracker: string, status: TrackerStatus): void {
    this.#reported.set(tracker, status);
    if (!this.#isRunning) return;
    for (const name of this.names) {
      if (this.instance(name).config.trackers.some((t) => t.id === tracker)) {
        this.dispatch(name, { type: 'track-changed', tracker, status });
      }
    }
  }

  /** Runs `steps` with every notify and notify-group held back, and returns them in the order they came. */
  #deferringNotifies(steps: () => void): DeferredNotify[] {
    const held: DeferredNotify[] = [];
    this.#heldNotifies = held;
    try {
      steps();
    } finally {
      this.#heldNotifies = undefined;
    }
    return held;
  }

  /** Stable: `first`'s kind first, each kind in configuration order. */
  #inConfigOrder(notifies: readonly DeferredNotify[], first: DeferredNotify['kind']): DeferredNotify[] {
    const instances = this.names;
    const groups = Object.keys(this.#options.syncGroups ?? {});
    const rank = (n: DeferredNotify): number =>
      (n.kind === first ? 0 : 1) * (instances.length + groups.length) +
      (n.kind === 'group' ? groups.indexOf(n.group) : instances.indexOf(n.name));
    return [...notifies].sort((a, b) => rank(a) - rank(b));
  }

  #sendNotifies(notifies: readonly DeferredNotify[]): void {
    for (const n of notifies) {
      if (n.kind === 'group') this.#ports.performGroup?.(n.group, n.action);
      else this.#ports.perform(n.name, n.action, this.instance(n.name));
    }
  }

  #withReported(o: DriverInstanceOptions): DriverInstanceOptions {
    const trackers = o.trackers ?? [];
    if (!trackers.some((t) => this.#reported.has(t.id))) return o;
    const withStatus = trackers.map((t) => {
      const status = this.#reported.get(t.id);
      return status === undefined ? t : { ...t, initial: status };
    });
    return { ...o, trackers: withStatus };
  }

  dispatch(name: string, ev: VrrpEvent): void {
    this.#dispatch(name, ev);
  }

  /** Steps the instance (or its group) and returns the actions it ran. */
  #dispatch(name: string, ev: VrrpEvent): readonly MemberAction[] {
    const group = this.#groupOf.get(name);
    if (group !== undefined) return this.#stepGroup(group, { type: 'member-event', member: name, event: ev });
    const before = this.instance(name);
    const { next, actions } = step(before, ev);
    this.#instances = { ...this.#instances, [name]: next };
    const run = actions.map((action) => ({ member: name, action }));
    this.#runActions(before.state === 'MASTER' ? [name] : [], run);
    return run;
  }

  /**
   * Runs a step's actions. A MASTER that yields in this step may still send the adverts the step
   * asked for first (higher_prio_send_advert, the priority-0 farewell) although its state is BACKUP.
   */
  #runActions(wasMaster: readonly string[], actions: readonly MemberAction[]): void {
    for (const name of wasMaster) this.#wasMaster.add(name);
    try {
      for (const { member, action } of actions) this.#run(member, action);
    } finally {
      this.#wasMaster.clear();
    }
  }

  /** Steps the group and returns the member actions it ran. */
  #stepGroup(group: string, ev: SyncGroupEvent): readonly MemberAction[] {
    const g = this.#groups[group];
    if (g === undefined) throw new Error(`no sync group ${group}`);
    const { next, actions } = stepGroup(g, ev);
    this.#groups = { ...this.#groups, [group]: next };
    const run: MemberAction[] = [];
    let pending: MemberAction[] = [];
    const flush = (): void => {
      const masters = Object.entries(g.members).flatMap(([n, m]) => (m.state === 'MASTER' ? [n] : []));
      const batch = pending;
      pending = [];
      this.#runActions(masters, batch);
      run.push(...batch);
    };
    for (const a of actions) {
      if (a.type === 'member') {
        pending.push({ member: a.member, action: a.action });
        continue;
      }
      flush();
      if (a.type === 'notify-group' && this.#heldNotifies !== undefined) this.#heldNotifies.push({ kind: 'group', group, action: a });
      else this.#ports.performGroup?.(group, a);
    }
    flush();
    return run;
  }

  #run(name: string, a: Action): void {
    switch (a.type) {
      case 'send-advert':
        this.#sendAdvert(name, a.priority);
        break;
      case 'arm':
        this.#arm(name, a.timer, a.ms);
        break;
      case 'cancel':
        this.#cancel(name, a.timer);
        break;
      case 'shift': {
        const t = this.#timers.get(`${name}/${a.timer}`);
        if (t !== undefined) this.#arm(name, a.timer, Math.max(0, t.dueMs + a.deltaMs - this.#ports.clock.now()));
        break;
      }
      case 'claim-vips':
        if (this.#vipsHeld.has(name)) throw new Error(`${name}: VIPs claimed twice`);
        this.#vipsHeld.add(name);
        break;
      case 'release-vips':
        this.#vipsHeld.delete(name);
        break;
      case 'notify':
        if (this.#heldNotifies !== undefined) {
          this.#heldNotifies.push({ kind: 'instance', name, action: a });
          return;
        }
        break;
      default:
        break;
    }
    this.#ports.perform(name, a, this.instance(name));
  }

  #sendAdvert(name: string, priority: number): void {
    const inst = this.instance(name);
    // Only a master advertises (or one yielding in this very step); priority 0 is the farewell of one leaving.
    if (priority > 0 && inst.state !== 'MASTER' && !this.#wasMaster.has(name)) throw new Error(`${name}: advert in ${inst.state}`);
    this.#ports.sendAdvert(name, advertOf(inst, this.family(name), priority));
  }

  #arm(name: string, timer: TimerName, ms: number): void {
    this.#cancel(name, timer);
    const key = `${name}/${timer}`;
    const cancel = this.#ports.clock.setTimer(ms, () => {
      this.#timers.delete(key);
      this.dispatch(name, { type: 'timer-fired', timer });
    });
    this.#timers.set(key, { dueMs: this.#ports.clock.now() + ms, cancel });
  }

  #cancel(name: string, timer: TimerName): void {
    const key = `${name}/${timer}`;
    this.#timers.get(key)?.cancel();
    this.#timers.delete(key);
  }
}

/** The advert an instance sends at `priority`. */
export function advertOf(inst: Instance, family: IpFamily, priority: number): Advert {
  const c = inst.config;
  return {
    version: c.version,
    family,
    vrid: c.vrid,
    priority,
    advertIntervalMs: c.advertIntervalMs,
    addresses: c.vips,
    auth: c.auth,
  };
}
