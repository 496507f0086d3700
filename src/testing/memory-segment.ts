import type { Clock } from '../lib/clock.js';
import type { Advert } from '../vrrp/advert.js';

/** A router on the segment, by id or by anything carrying its id (a SimRouter). */
export type RouterRef = string | { readonly id: string };

export interface SentAdvert {
  readonly at: number;
  /** Router id of the sender. */
  readonly from: string;
  /** The sender's source address, as receivers see it. */
  readonly address: string;
  readonly advert: Advert;
  /** Router ids the advert was (or will be, after latency) delivered to. */
  readonly deliveredTo: readonly string[];
}

export interface DropQuery {
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly advert: Advert;
}

export type AdvertHandler = (advert: Advert, fromAddress: string) => void;

export interface SegmentPort {
  send(advert: Advert): void;
  detach(): void;
}

interface Attachment {
  readonly id: string;
  readonly address: string;
  readonly onAdvert: AdvertHandler;
}

function idOf(r: RouterRef): string {
  return typeof r === 'string' ? r : r.id;
}

/**
 * An in-memory L2 segment: every advert a router sends reaches every other
 * attached router after `latencyMs` (default 0, still delivered through the
 * clock so no handler runs inside another's send), unless a partition or a
 * drop rule says otherwise. Keeps a log of every advert sent.
 */
export class MemorySegment {
  readonly #clock: Clock;
  readonly #latencyMs: number;
  readonly #attached = new Map<string, Attachment>();
  readonly #sent: SentAdvert[] = [];
  #groups = new Map<string, number>();
  #dropRules: Array<(q: DropQuery) => boolean> = [];

  constructor(clock: Clock, options: { readonly latencyMs?: number } = {}) {
    this.#clock = clock;
    this.#latencyMs = options.latencyMs ?? 0;
  }

  attach(id: string, address: string, onAdvert: AdvertHandler): SegmentPort {
    if (this.#attached.has(id)) throw new Error(`router ${id} is already attached`);
    const me: Attachment = { id, address, onAdvert };
    this.#attached.set(id, me);
    return {
      send: (advert) => this.#send(me, advert),
      detach: () => {
        if (this.#attached.get(id) === me) this.#attached.delete(id);
      },
    };
  }

  /** Routers in different groups stop hearing each other; unlisted routers form one more group. */
  partition(...groups: readonly (readonly RouterRef[])[]): void {
    this.#groups = new Map(groups.flatMap((g, i) => g.map((r): [string, number] => [idOf(r), i])));
  }

  heal(): void {
    this.#groups = new Map();
  }

  /** Drop every advert the rule matches until the returned function is called. */
  drop(rule: (q: DropQuery) => boolean): () => void {
    this.#dropRules.push(rule);
    return () => {
      this.#dropRules = this.#dropRules.filter((r) => r !== rule);
    };
  }

  get sent(): readonly SentAdvert[] {
    return this.#sent;
  }

  advertsFrom(r: RouterRef): readonly SentAdvert[] {
    return this.#sent.filter((s) => s.from === idOf(r));
  }

  /** The last advert `r` sent; throws if it never sent one. */
  lastAdvertFrom(r: RouterRef): SentAdvert {
    const all = this.advertsFrom(r);
    const last = all[all.length - 1];
    if (last === undefined) throw new Error(`router ${idOf(r)} has sent no advert`);
    return last;
  }

  #canHear(from: string, to: string): boolean {
    return (this.#groups.get(from) ?? -1) === (this.#groups.get(to) ?? -1);
  }

  #send(sender: Attachment, advert: Advert): void {
    if (this.#attached.get(sender.id) !== sender) throw new Error(`router ${sender.id} sent while detached`);
    const at = this.#clock.now();
    const receivers = [...this.#attached.values()].filter(
      (r) =>
        r.id !== sender.id &&
        this.#canHear(sender.id, r.id) &&
        !this.#dropRules.some((rule) => rule({ at, from: sender.id, to: r.id, advert })),
    );
    this.#sent.push({ at, from: sender.id, address: sender.address, advert, deliveredTo: receivers.map((r) => r.id) });
    for (const r of receivers) {
      this.#clock.setTimer(this.#latencyMs, () => {
        // A router that crashed or restarted meanwhile does not get the old packet.
        if (this.#attached.get(r.id) === r) r.onAdvert(advert, sender.address);
      });
    }
  }
}
