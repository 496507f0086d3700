/**
 * Link state of tracked interfaces (track_interface, and the instance's own
 * interface unless dont_track_primary). keepalived learns IFF_UP|IFF_RUNNING
 * from netlink (vrrp_if.h IF_ISUP()); we poll sysfs through a LinkReader port
 * every pollIntervalMs (default 100 ms) and report up/down. The decision is
 * pure; sysfs-link-reader.ts is the real port.
 */
import type { Clock } from '../lib/clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { UpDownPoller } from './up-down-poller.js';

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
  readonly #options: LinkTrackerOptions;
  readonly #poller: UpDownPoller<undefined>;

  constructor(deps: LinkTrackerDeps, options: LinkTrackerOptions) {
    this.#options = options;
    this.#poller = new UpDownPoller({
      clock: deps.clock,
      intervalMs: options.pollIntervalMs ?? 100,
      observe: async () => {
        const samples = await Promise.all(options.interfaces.map((ifname) => deps.readLink(ifname).catch(() => undefined)));
        return options.interfaces.map((name, i) => ({ name, isUp: isLinkUp(samples[i]), detail: undefined }));
      },
      onChange: (ifname, status) => deps.onChange(ifname, status),
    });
  }

  /** The last observed status, undefined before the first poll. */
  status(ifname: string): TrackerStatus | undefined {
    return this.#poller.status(ifname);
  }

  /** Polls once, then every interval. Resolves with the first observation of every interface. */
  start(): Promise<ReadonlyMap<string, TrackerStatus>> {
    return this.#poller.start(this.#options.interfaces);
  }

  stop(): void {
    this.#poller.stop();
  }
}
