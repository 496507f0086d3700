/**
 * The VRRP subsystem as a running service (keepalived's Keepalived_vrrp):
 * plans the config, clears stale VIPs, opens one channel per instance, starts
 * the trackers and the driver, and turns the driver's actions into kernel
 * changes, GARPs, notifications and log lines. Everything it touches comes in
 * through deps, so a process test can run it with fakes.
 */
import type { Config } from '../config/model.js';
import type { IpAddress } from '../config/schema/address.js';
import type { Clock } from '../lib/clock.js';
import type { LinkFacts } from '../net/addresses.js';
import type { ChannelDropReason, ChannelOptions, RawIo, VrrpChannel } from '../net/vrrp-channel.js';
import type { Advert } from '../vrrp/advert.js';
import { VrrpDriver } from '../vrrp/driver.js';
import type { Action, Instance } from '../vrrp/instance.js';
import type { SyncGroupAction } from '../vrrp/sync-group.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import type { Logger } from './logger.js';
import { planVrrp, type PlannedInstance, type VrrpPlan } from './vrrp-plan.js';
import { countDrop, countReceived, emptyStats, formatStats, type VrrpStats } from './vrrp-stats.js';

/** The kernel's addresses, as `ip` reads and writes them. */
export interface AddressPort {
  links(): Promise<LinkFacts[]>;
  add(a: IpAddress, defaultDev: string): Promise<void>;
  del(a: IpAddress, defaultDev: string): Promise<void>;
}

export interface GarpPort {
  /** `repeat` rounds over `addresses` (interleaved, as keepalived), on each address's own interface. */
  send(addresses: readonly IpAddress[], defaultDev: string, repeat: number): Promise<void>;
}

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

/** State scripts, the generic notify script and the FIFO (src/script). */
export interface NotifyPort {
  instance(p: PlannedInstance, state: NotifyState, priority: number): Promise<void>;
  group(name: string, state: NotifyState): Promise<void>;
  priority(p: PlannedInstance, state: 'MASTER' | 'BACKUP', priority: number): void;
  masterRxLowerPri(p: PlannedInstance, priority: number): Promise<void>;
  close(): Promise<void>;
}

/** The trackers running for a plan. */
export interface RunningTrackers {
  /** Settles once links, track files and processes have each been observed once (scripts report later). */
  readonly ready: Promise<void>;
  stop(): void;
}

/** Runs the plan's trackers (link state, vrrp_script, track_file, track_process) and reports each change. */
export type TrackerPort = (plan: VrrpPlan, report: (trackerId: string, status: TrackerStatus) => void) => RunningTrackers;

export interface VrrpDaemonDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly addresses: AddressPort;
  readonly garp: GarpPort;
  readonly notify: NotifyPort;
  readonly trackers: TrackerPort;
  readonly openChannel: (
    options: ChannelOptions & { readonly ifname: string },
    handlers: {
      onAdvert: (advert: Advert, from: string, ttl: number) => void;
      onDrop: (reason: ChannelDropReason, from: string) => void;
      onError: (err: Error) => void;
    },
  ) => VrrpChannel;
}

export type { RawIo };

function primaryAddress(links: readonly LinkFacts[]) {
  return (ifname: string, family: 4 | 6, exclude: ReadonlySet<string>): string | undefined => {
    const link = links.find((l) => l.name === ifname);
    const want = family === 4 ? 'inet' : 'inet6';
    // keepalived: IPv4 uses the interface's primary address; IPv6 its link-local address.
    const candidates = (link?.addresses ?? []).filter((a) => a.family === want && !exclude.has(a.address));
    return (family === 6 ? candidates.find((a) => a.scope === 'link') : candidates[0])?.address;
  };
}

export class VrrpDaemon {
  readonly #deps: VrrpDaemonDeps;
  readonly #plan: VrrpPlan;
  readonly #driver: VrrpDriver;
  readonly #byName: ReadonlyMap<string, PlannedInstance>;
  readonly #channels = new Map<string, VrrpChannel>();
  readonly #queues = new Map<string, Promise<void>>();
  /** Running garp_master_refresh timers by instance. */
  readonly #refreshes = new Map<string, () => void>();
  readonly #stats = new Map<string, VrrpStats>();
  #stopTrackers: () => void = () => {};
  #isStopping = false;

  private constructor(deps: VrrpDaemonDeps, plan: VrrpPlan) {
    this.#deps = deps;
    this.#plan = plan;
    this.#byName = new Map(plan.instances.map((p) => [p.name, p]));
    for (const p of plan.instances) this.#stats.set(p.name, emptyStats());
    this.#driver = new VrrpDriver(
      {
        clock: deps.clock,
        sendAdvert: (name, advert) => this.#send(name, advert),
        perform: (name, action, inst) => this.#perform(name, action, inst),
        performGroup: (group, action) => this.#performGroup(group, action),
      },
      {
        instances: Object.fromEntries(plan.instances.map((p) => [p.name, p.driver])),
        syncGroups: Object.fromEntries(plan.groups.map((g) => [g.name, g.members])),
      },
    );
  }

  /** Plans, clears stale VIPs, opens sockets and starts every instance. */
  static async start(deps: VrrpDaemonDeps, config: Config): Promise<VrrpDaemon> {
    const links = await deps.addresses.links();
    const plan = planVrrp(config, { primaryAddress: primaryAddress(links) });
    for (const problem of plan.problems) deps.log.error({ detail: problem }, 'VRRP instance cannot run');
    const d = new VrrpDaemon(deps, plan);
    await d.#removeStaleVips(links);
    for (const p of plan.instances) d.#open(p, links);
    const trackers = deps.trackers(plan, (id, status) => d.#driver.setTracker(id, status));
    d.#stopTrackers = () => trackers.stop();
    try {
      // keepalived has read interfaces, track files and processes before vrrp_init_state().
      await trackers.ready;
    } catch (err) {
      trackers.stop();
      throw err;
    }
    d.#driver.start();
    return d;
  }

  get plan(): VrrpPlan {
    return this.#plan;
  }

  state(name: string): Instance {
    return this.#driver.instance(name);
  }

  /** keepalived.stats text (SIGUSR2). */
  statsText(): string {
    return formatStats([...this.#stats]);
  }

  /** SIGTERM: a MASTER sends priority 0 and drops its VIPs, notify_stop runs; then sockets close. */
  async stop(): Promise<void> {
    if (this.#isStopping) return;
    this.#isStopping = true;
    this.#stopTrackers();
    this.#driver.shutdown();
    for (const cancel of this.#refreshes.values()) cancel();
    this.#refreshes.clear();
    await Promise.all(this.#queues.values());
    for (const ch of this.#channels.values()) ch.close();
    this.#channels.clear();
    await this.#deps.notify.close();
  }

  async #removeStaleVips(links: readonly LinkFacts[]): Promise<void> {
    for (const p of this.#plan.instances) {
      for (const a of [...p.vips, ...p.evips]) {
        const dev = a.dev ?? p.interface;
        const link = links.find((l) => l.name === dev);
        if (link?.addresses.some((x) => x.address === a.address && x.prefix === a.prefix)) {
          this.#deps.log.info({ instance: p.name, address: a.address, dev }, 'removing stale VIP');
          await this.#deps.addresses.del(a, p.interface);
        }
      }
    }
  }

  #open(p: PlannedInstance, links: readonly LinkFacts[]): void {
    const link = links.find((l) => l.name === p.interface);
    const src = p.driver.primaryAddress;
    const log = this.#deps.log.child({ instance: p.name });
    if (link === undefined) {
      log.error({ iface: p.interface }, 'interface does not exist');
      return;
    }
    const channel = this.#deps.openChannel(
      {
        ifname: p.interface,
        family: p.family,
        ifindex: link.ifindex,
        srcAddress: src,
        mcastGroup: p.mcastGroup,
        unicastPeers: p.unicastPeers,
        ...(p.unicastTtl === undefined ? {} : { unicastTtl: p.unicastTtl }),
      },
      {
        onAdvert: (advert, from) => {
          // The driver drops it once stopped, or when it is for another VRID.
          for (const { name, discard } of this.#driver.receive(advert, from, (n) => n === p.name)) {
            const stats = this.#stats.get(name);
            if (stats !== undefined) countReceived(stats, advert.priority, discard);
          }
        },
        onDrop: (reason, from) => {
          const stats = this.#stats.get(p.name);
          if (stats !== undefined) countDrop(stats, reason);
          log.debug({ reason, from, detail: `${reason} from ${from}` }, 'dropped VRRP packet');
        },
        onError: (err) => log.error({ err }, 'VRRP socket receive error'),
      },
    );
    this.#channels.set(p.name, channel);
  }

  #send(name: string, advert: Advert): void {
    const ch = this.#channels.get(name);
    if (ch === undefined) return;
    const stats = this.#stats.get(name);
    if (stats !== undefined) {
      stats.advertSent++;
      if (advert.priority === 0) stats.priZeroSent++;
    }
    try {
      ch.send(advert);
    } catch (err) {
      this.#deps.log.error({ instance: name, err }, 'cannot send advert');
    }
    if (advert.priority === 0) this.#deps.log.debug({ instance: name }, 'sent 0 priority');
  }

  /** Kernel changes and scripts for one instance run in order, one at a time. */
  #enqueue(name: string, what: string, fn: () => Promise<void>): void {
    const prev = this.#queues.get(name) ?? Promise.resolve();
    const next = prev.then(fn).catch((err: unknown) => this.#deps.log.error({ instance: name, err }, what));
    this.#queues.set(name, next);
  }

  #perform(name: string, a: Action, inst: Instance): void {
    const p = this.#byName.get(name);
    if (p === undefined) return;
    const log = this.#deps.log;
    switch (a.type) {
      case 'transition':
        log.info({ instance: name, from: a.from, to: a.to, reason: a.reason, priority: inst.effectivePriority }, `Entering ${a.to} STATE`);
        if (a.to === 'MASTER') this.#startRefresh(p);
        else this.#stopRefresh(name);
        this.#countTransition(name, a.from, a.to);
        return;
      case 'claim-vips':
        log.debug({ instance: name }, 'setting VIPs.');
        return this.#enqueue(name, 'cannot add VIP', async () => {
          for (const v of [...p.vips, ...p.evips]) await this.#deps.addresses.add(v, p.interface);
        });
      case 'release-vips':
        log.debug({ instance: name }, 'removing VIPs.');
        return this.#enqueue(name, 'cannot remove VIP', async () => {
          for (const v of [...p.vips, ...p.evips]) await this.#deps.addresses.del(v, p.interface);
        });
      case 'gratuitous-arp':
        return this.#enqueue(name, 'cannot send gratuitous ARP', () => this.#deps.garp.send([...p.vips, ...p.evips], p.interface, a.repeat));
      case 'notify':
        return this.#enqueue(name, 'cannot notify', () => this.#deps.notify.instance(p, a.state, inst.effectivePriority));
      case 'notify-priority': {
        log.info({ instance: name, from: a.from, to: a.to }, 'Changing effective priority');
        if (!p.notifyPriorityChanges) return;
        // Behind the instance's queued notifications, so the FIFO never reports a priority before its state.
        const state = inst.state === 'MASTER' ? 'MASTER' : 'BACKUP';
        return this.#enqueue(name, 'cannot notify', async () => this.#deps.notify.priority(p, state, a.to));
      }
      case 'notify-master-rx-lower-pri':
        log.info({ instance: name, from: a.from, priority: a.priority }, 'Master received lower priority advert');
        return this.#enqueue(name, 'cannot notify', () => this.#deps.notify.masterRxLowerPri(p, inst.effectivePriority));
      case 'discard-advert':
        log.debug({ instance: name, reason: a.reason, from: a.from, priority: a.priority }, 'discarding advert');
        return;
      case 'owner-conflict':
        log.warn({ instance: name, from: a.from }, 'another router claims to own the addresses (priority 255)');
        return;
      case 'send-advert':
      case 'arm':
      case 'cancel':
      case 'shift':
        return;
      default: {
        const never: never = a;
        return never;
      }
    }
  }

  #countTransition(name: string, from: string, to: string): void {
    const stats = this.#stats.get(name);
    if (stats === undefined) return;
    if (to === 'MASTER') stats.becomeMaster++;
    else if (from === 'MASTER') stats.releaseMaster++;
  }

  /** keepalived: garp_master_refresh: while MASTER, a GARP burst of garp_master_refresh_repeat every interval. */
  #startRefresh(p: PlannedInstance): void {
    this.#stopRefresh(p.name);
    if (p.garpRefreshMs <= 0) return;
    const clock = this.#deps.clock;
    let cancel = (): void => {};
    const tick = (): void => {
      this.#enqueue(p.name, 'cannot send gratuitous ARP', () => this.#deps.garp.send([...p.vips, ...p.evips], p.interface, p.garpRefreshRepeat));
      cancel = clock.setTimer(p.garpRefreshMs, tick);
    };
    cancel = clock.setTimer(p.garpRefreshMs, tick);
    this.#refreshes.set(p.name, () => cancel());
  }

  #stopRefresh(name: string): void {
    this.#refreshes.get(name)?.();
    this.#refreshes.delete(name);
  }

  #performGroup(group: string, a: Exclude<SyncGroupAction, { type: 'member' }>): void {
    if (a.type === 'group-transition') {
      this.#deps.log.info({ group, from: a.from, to: a.to }, `Syncing instances to ${a.to} state`);
      return;
    }
    this.#enqueue(`group:${group}`, 'cannot notify', () => this.#deps.notify.group(group, a.state));
  }
}
