import type { Clock } from '../lib/clock.js';
import { VrrpDriver, type DriverInstanceOptions } from '../vrrp/driver.js';
import type { Action, Instance, InstanceOptions, VrrpEvent, VrrpState } from '../vrrp/instance.js';
import type { SyncGroup, SyncGroupAction } from '../vrrp/sync-group.js';
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

/**
 * A test driver: the real VrrpDriver with a MemorySegment as its wire and a
 * log of every action instead of kernel effects.
 */
export class SimRouter {
  readonly id: string;
  readonly log: SimLogEntry[] = [];
  readonly #seg: MemorySegment;
  readonly #clock: Clock;
  readonly #options: SimRouterOptions;
  readonly #driver: VrrpDriver;
  #port: SegmentPort | undefined;

  constructor(seg: MemorySegment, clock: Clock, options: SimRouterOptions) {
    this.id = options.id;
    this.#seg = seg;
    this.#clock = clock;
    this.#options = options;
    const family = options.address.includes(':') ? 6 : 4;
    const instances = Object.fromEntries(
      Object.entries(options.instances).map(([name, o]) => [
        name,
        { ...o, family, primaryAddress: o.primaryAddress ?? options.address } satisfies DriverInstanceOptions,
      ]),
    );
    const syncGroups = options.syncGroup === undefined ? {} : { [options.syncGroup]: Object.keys(options.instances) };
    this.#driver = new VrrpDriver(
      {
        clock,
        sendAdvert: (_name, advert) => this.#port?.send(advert),
        perform: (name, action) => this.log.push({ at: this.#clock.now(), source: name, action }),
        performGroup: (group, action) => this.log.push({ at: this.#clock.now(), source: group, action }),
      },
      { instances, syncGroups },
    );
  }

  get isRunning(): boolean {
    return this.#port !== undefined;
  }

  /** State of the named instance (default: the first one). */
  state(name = this.#firstName()): VrrpState {
    return this.instance(name).state;
  }

  instance(name = this.#firstName()): Instance {
    return this.#driver.instance(name);
  }

  get group(): SyncGroup | undefined {
    return this.#options.syncGroup === undefined ? undefined : this.#driver.group(this.#options.syncGroup);
  }

  holdsVips(name = this.#firstName()): boolean {
    return this.#driver.holdsVips(name);
  }

  /** (Re)start with fresh instances, as a process start would. */
  start(): void {
    if (this.#port !== undefined) throw new Error(`router ${this.id} is already running`);
    this.#port = this.#seg.attach(this.id, this.#options.address, (advert, from) => this.#driver.receive(advert, from));
    this.#driver.start();
  }

  /** Dies without a word: no priority-0 advert, timers gone, VIPs gone with the host. */
  crash(): void {
    this.#driver.stop();
    this.#detach();
  }

  /** SIGTERM: every instance gets 'shutdown' (a master sends priority 0), then the router leaves. */
  shutdown(): void {
    this.#driver.shutdown();
    this.#detach();
  }

  /** Report a tracker status to every instance that tracks it. */
  setTracker(tracker: string, status: TrackerStatus): void {
    this.#driver.setTracker(tracker, status);
  }

  dispatch(name: string, ev: VrrpEvent): void {
    this.#driver.dispatch(name, ev);
  }

  #firstName(): string {
    const name = Object.keys(this.#options.instances)[0];
    if (name === undefined) throw new Error(`router ${this.id} has no instances`);
    return name;
  }

  #detach(): void {
    this.#port?.detach();
    this.#port = undefined;
  }
}
