/**
 * Link state of tracked interfaces (track_interface, and the instance's own
 * interface unless dont_track_primary). keepalived learns IFF_UP|IFF_RUNNING
 * from netlink (vrrp_if.h IF_ISUP()); we poll sysfs through a LinkReader port
 * every pollIntervalMs (default 100 ms) and report up/down. The decision is
 * pure; sysfs-link-reader.ts is the real port.
 */
import type { Clock } from '../lib/clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';

/** The two sysfs attributes, as read (`/sys/class/net/IF/flags` and `…/operstate`). */
export interface LinkSample {
  /** dev->flags in hex, e.g. "0x1003". */
  readonly flags: string;
  /** RFC 2863 operstate: up, down, unknown, dormant, lowerlayerdown, notpresent, testing. */
  readonly operstate: string;
}

/** undefined: the interface does not exist. */
export type LinkReader = (ifname: string) => Promise<LinkSample | undefined>;

/** <linux/if.h> */
export const IFF_UP = 0x1;
export const IFF_RUNNING = 0x40;

/**
 * keepalived: FLAGS_UP(): IFF_UP and IFF_RUNNING both set. sysfs `flags` is
 * dev->flags, which never holds IFF_RUNNING (the kernel adds it in
 * dev_get_flags() when netif_oper_up(): operstate up or unknown), so RUNNING
 * is taken from operstate. A missing interface is down.
 */
export function isLinkUp(sample: LinkSample | undefined): boolean {
  if (sample === undefined) return false;
  const flags = Number.parseInt(sample.flags.trim(), 16);
  if (Number.isNaN(flags)) return false;
  const operstate = sample.operstate.trim();
  const isRunning = (flags & IFF_RUNNING) !== 0 || operstate === 'up' || operstate === 'unknown';
  return (flags & IFF_UP) !== 0 && isRunning;
}

export interface LinkTrackerDeps {
  readonly clock: Clock;
  readonly readLink: LinkReader;
  /** The first observation of each interface, then every change. */
  readonly onChange: (ifname: string, status: TrackerStatus) => void;
}

export interface LinkTrackerOptions {
  readonly interfaces: readonly string[];
  /** Default 100. */
  readonly pollIntervalMs?: number;
}

export class LinkTracker {
  readonly #deps: LinkTrackerDeps;
  readonly #options: LinkTrackerOptions;
  readonly #up = new Map<string, boolean>();
  #isPolling = false;
  #isStopped = false;
  #cancelPoll: (() => void) | undefined;

  constructor(deps: LinkTrackerDeps, options: LinkTrackerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** The last observed status, undefined before the first poll. */
  status(ifname: string): TrackerStatus | undefined {
    const up = this.#up.get(ifname);
    return up === undefined ? undefined : { type: up ? 'up' : 'down' };
  }

  /** Polls once, then every interval. Resolves with the first observation of every interface. */
  async start(): Promise<ReadonlyMap<string, TrackerStatus>> {
    this.#schedule();
    await this.#poll();
    const out = new Map<string, TrackerStatus>();
    for (const ifname of this.#options.interfaces) {
      const s = this.status(ifname);
      if (s !== undefined) out.set(ifname, s);
    }
    return out;
  }

  stop(): void {
    this.#isStopped = true;
    this.#cancelPoll?.();
  }

  #schedule(): void {
    if (this.#isStopped) return;
    this.#cancelPoll = this.#deps.clock.setTimer(this.#options.pollIntervalMs ?? 100, () => {
      void this.#poll();
      this.#schedule();
    });
  }

  /** A poll still waiting on the file system makes the next one a no-op. */
  async #poll(): Promise<void> {
    if (this.#isPolling || this.#isStopped) return;
    this.#isPolling = true;
    try {
      const samples = await Promise.all(this.#options.interfaces.map((ifname) => this.#deps.readLink(ifname).catch(() => undefined)));
      if (this.#isStopped) return;
      this.#options.interfaces.forEach((ifname, i) => this.#apply(ifname, isLinkUp(samples[i])));
    } finally {
      this.#isPolling = false;
    }
  }

  #apply(ifname: string, isUp: boolean): void {
    if (this.#up.get(ifname) === isUp) return;
    this.#up.set(ifname, isUp);
    this.#deps.onChange(ifname, { type: isUp ? 'up' : 'down' });
  }
}
