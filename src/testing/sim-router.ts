import type { Clock } from '../lib/clock.js';
import type { Advert } from '../vrrp/advert.js';
import {
  createInstance,
  step,
  type Action,
  type Instance,
  type InstanceOptions,
  type TimerName,
  type VrrpEvent,
  type VrrpState,
} from '../vrrp/instance.js';
import { createSyncGroup, stepGroup, type SyncGroup, type SyncGroupAction } from '../vrrp/sync-group.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import type { MemorySegment, SegmentPort } from './memory-segment.js';

export type SimInstanceOptions = Omit<InstanceOptions, 'primaryAddress'> & { readonly primaryAddress?: string };

export interface SimRouterOptions {
  readonly id: string;
  /** Source address of this router's adverts and default primaryAddress of its instances. */
  readonly address: string;
  readonly instances: Readonly<Record<string, SimInstanceOptions>>;
  /** When set, all instances form one vrrp_sync_group of that name. */
  readonly syncGroup?: string;
}

export interface SimLogEntry {
  readonly at: number;
  /** Instance name, or the sync group's name for group actions. */
  readonly source: string;
  readonly action: Action | SyncGroupAction;
}

interface ArmedTimer {
  readonly dueMs: number;
  readonly cancel: () => void;
}

/**
 * A test-only driver: runs step()/stepGroup() actions against a ManualClock
 * and a MemorySegment. The real driver (vrrp/driver.ts) has the same shape.
 */
export class SimRouter {
  readonly id: string;
  readonly log: SimLogEntry[] = [];
  readonly #seg: MemorySegment;
  readonly #clock: Clock;
  readonly #options: SimRouterOptions;
  #instances: Record<string, Instance> = {};
  #group: SyncGroup | undefined;
  #port: SegmentPort | undefined;
  readonly #timers = new Map<string, ArmedTimer>();
  readonly #vipsHeld = new Set<string>();

  constructor(seg: MemorySegment, clock: Clock, options: SimRouterOptions) {
    this.id = options.id;
    this.#seg = seg;
    this.#clock = clock;
    this.#options = options;
  }

  get isRunning(): boolean {
    return this.#port !== undefined;
  }

  /** State of the named instance (default: the first one). */
  state(name = this.#firstName()): VrrpState {
    return this.instance(name).state;
  }

  instance(name = this.#firstName()): Instance {
    const inst = this.#group?.members[name] ?? this.#instances[name];
    if (inst === undefined) throw new Error(`router ${this.id} has no instance ${name}`);
    return inst;
  }

  get group(): SyncGroup | undefined {
    return this.#group;
  }

  holdsVips(name = this.#firstName()): boolean {
    return this.#vipsHeld.has(name);
  }

  /** (Re)start with fresh instances, as a process start would. */
  start(): void {
    if (this.#port !== undefined) throw new Error(`router ${this.id} is already running`);
    const fresh = Object.fromEntries(
      Object.entries(this.#options.instances).map(([name, o]) => [
        name,
        createInstance({ ...o, primaryAddress: o.primaryAddress ?? this.#options.address }),
      ]),
    );
    this.#port = this.#seg.attach(this.id, this.#options.address, (advert, from) => this.#receive(advert, from));
    if (this.#options.syncGroup !== undefined) {
      this.#group = createSyncGroup(this.#options.syncGroup, fresh);
      this.#runGroup(stepGroup(this.#group, { type: 'start' }));
    } else {
      this.#instances = fresh;
      for (const name of Object.keys(fresh)) this.dispatch(name, { type: 'start' });
    }
  }

  /** Dies without a word: no priority-0 advert, timers gone, VIPs gone with the host. */
  crash(): void {
    this.#stop();
  }

  /** SIGTERM: every instance gets 'shutdown' (a master sends priority 0), then the router leaves. */
  shutdown(): void {
    if (this.#group !== undefined) this.#runGroup(stepGroup(this.#group, { type: 'shutdown' }));
    else for (const name of Object.keys(this.#instances)) this.dispatch(name, { type: 'shutdown' });
    this.#stop();
  }

  /** Report a tracker status to every instance that tracks it. */
  setTracker(tracker: string, status: TrackerStatus): void {
    for (const name of Object.keys(this.#options.instances)) {
      if (this.instance(name).config.trackers.some((t) => t.id === tracker)) {
        this.dispatch(name, { type: 'track-changed', tracker, status });
      }
    }
  }

  dispatch(name: string, ev: VrrpEvent): void {
    if (this.#group !== undefined) {
      this.#runGroup(stepGroup(this.#group, { type: 'member-event', member: name, event: ev }));
      return;
    }
    const { next, actions } = step(this.instance(name), ev);
    this.#instances = { ...this.#instances, [name]: next };
    for (const a of actions) this.#run(name, a);
  }

  #firstName(): string {
    const name = Object.keys(this.#options.instances)[0];
    if (name === undefined) throw new Error(`router ${this.id} has no instances`);
    return name;
  }

  #stop(): void {
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
    this.#vipsHeld.clear();
    this.#port?.detach();
    this.#port = undefined;
  }

  #receive(advert: Advert, from: string): void {
    for (const name of Object.keys(this.#options.instances)) {
      if (this.instance(name).config.vrid === advert.vrid) this.dispatch(name, { type: 'advert-received', advert, from });
    }
  }

  #runGroup(r: { readonly next: SyncGroup; readonly actions: readonly SyncGroupAction[] }): void {
    const group = r.next;
    this.#group = group;
    for (const a of r.actions) {
      if (a.type === 'member') this.#run(a.member, a.action);
      else this.log.push({ at: this.#clock.now(), source: group.name, action: a });
    }
  }

  #run(name: string, a: Action): void {
    this.log.push({ at: this.#clock.now(), source: name, action: a });
    switch (a.type) {
      case 'send-advert':
        return this.#sendAdvert(name, a.priority);
      case 'arm':
        return this.#arm(name, a.timer, a.ms);
      case 'cancel':
        return this.#cancel(name, a.timer);
      case 'shift': {
        const t = this.#timers.get(`${name}/${a.timer}`);
        if (t !== undefined) this.#arm(name, a.timer, Math.max(0, t.dueMs + a.deltaMs - this.#clock.now()));
        return;
      }
      case 'claim-vips':
        if (this.#vipsHeld.has(name)) throw new Error(`${this.id}/${name}: VIPs claimed twice`);
        this.#vipsHeld.add(name);
        return;
      case 'release-vips':
        this.#vipsHeld.delete(name);
        return;
      default:
        return; // notifications and logs only
    }
  }

  #sendAdvert(name: string, priority: number): void {
    const inst = this.instance(name);
    // The invariant a real driver asserts: only a master advertises (priority 0 is a farewell).
    if (priority > 0 && inst.state !== 'MASTER') throw new Error(`${this.id}/${name}: advert in ${inst.state}`);
    const c = inst.config;
    const advert: Advert = {
      version: c.version,
      family: this.#options.address.includes(':') ? 6 : 4,
      vrid: c.vrid,
      priority,
      advertIntervalMs: c.advertIntervalMs,
      addresses: c.vips,
      auth: c.auth,
    };
    this.#port?.send(advert);
  }

  #arm(name: string, timer: TimerName, ms: number): void {
    this.#cancel(name, timer);
    const key = `${name}/${timer}`;
    const cancel = this.#clock.setTimer(ms, () => {
      this.#timers.delete(key);
      this.dispatch(name, { type: 'timer-fired', timer });
    });
    this.#timers.set(key, { dueMs: this.#clock.now() + ms, cancel });
  }

  #cancel(name: string, timer: TimerName): void {
    const key = `${name}/${timer}`;
    this.#timers.get(key)?.cancel();
    this.#timers.delete(key);
  }
}
