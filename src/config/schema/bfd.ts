/**
 * `bfd_instance NAME { … }`. keepalived: bfd/bfd_parser.c init_bfd_keywords().
 * The block is read by three processes with different handlers:
 * - BFD pass: the session itself (bfd_handler … bfd_end_handler);
 * - VRRP pass: only the name, `weight` and `vrrp`/`checker` (alloc_vrrp_tracked_bfd),
 *   so `track_bfd` in a vrrp_instance can find it — other sub-keywords are ignored;
 * - checker pass: only the name and `vrrp`/`checker`, for BFD_CHECK.
 * The parent skips it. Errors of the VRRP/checker passes are reported there.
 */
import { SKIP, sub } from '../engine.js';
import type { BlockSpec, HandlerCtx, KeywordSpec } from '../engine.js';
import type { BuildState } from '../model.js';
import type { SockAddr } from './global-defs-common.js';
import { inetStoSockaddr } from './global-defs-common.js';

export interface BfdInstance {
  name: string;
  neighbor: SockAddr;
  source?: SockAddr;
  minRxUs: number;
  minTxUs: number;
  idleTxUs: number;
  multiplier: number;
  passive: boolean;
  /** 255 for IPv4, 64 for IPv6 unless set. */
  ttl: number;
  maxHops: number;
  /** Which processes get this session's events (both unless `vrrp`/`checker` restrict it). */
  vrrp: boolean;
  checker: boolean;
}

export interface BfdSection {
  instances: BfdInstance[];
  /** VRRP pass: bfd_instance names usable by `track_bfd`, with their tracking weight. */
  vrrpTracked: Map<string, { weight: number; reverse: boolean }>;
  /** Checker pass: bfd_instance names usable by BFD_CHECK. */
  checkerTracked: Set<string>;
}

export function createBfdSection(): BfdSection {
  return { instances: [], vrrpTracked: new Map(), checkerTracked: new Set() };
}

/** keepalived: BFD_INAME_MAX (32, including the NUL). */
const BFD_INAME_MAX = 32;
const BFD_TTL_MAX = 255;
const RANGE_MAX_MS = Math.floor(4294967295 / 1000);

interface Draft {
  readonly pass: 'bfd' | 'vrrp' | 'checker';
  readonly name: string;
  readonly state: BuildState;
  /** A malformed neighbour drops the instance and keepalived skips the rest of the block. */
  dropped: boolean;
  events: { vrrp: boolean; checker: boolean };
  inst: Omit<BfdInstance, 'neighbor' | 'vrrp' | 'checker'> & { neighbor?: SockAddr };
}

type Ctx = HandlerCtx<Draft>;

/** keepalived: inet_sockaddrtos() — inet_ntop's canonical text. */
function ntop(a: SockAddr): string {
  return a.family === 6 ? new URL(`http://[${a.address}]`).hostname.slice(1, -1) : a.address;
}

function open(c: HandlerCtx<BuildState>): Draft | typeof SKIP {
  const state = c.target;
  const bfd = state.config.global.bfd;
  // keepalived reads the name slot unchecked (a missing name crashes it); we stop as for a missing word.
  const name = c.word(1);
  const pass = c.env.pass === 'vrrp' || c.env.pass === 'checker' ? c.env.pass : 'bfd';
  if (pass === 'bfd') {
    if (name.length >= BFD_INAME_MAX) {
      c.error(`Configuration error: BFD instance ${name} name too long (maximum length is ${BFD_INAME_MAX - 1} characters) - ignoring`);
      return SKIP;
    }
    if (bfd.instances.some((i) => i.name === name)) {
      c.error(`Configuration error: BFD instance ${name} already configured - ignoring`);
      return SKIP;
    }
  } else if (pass === 'vrrp') {
    if (name.length >= BFD_INAME_MAX) {
      c.error(`BFD name ${name} too long`);
      return SKIP;
    }
    if (bfd.vrrpTracked.has(name)) {
      c.error(`BFD ${name} already specified`);
      return SKIP;
    }
    bfd.vrrpTracked.set(name, { weight: 0, reverse: false });
  } else {
    if (bfd.checkerTracked.has(name)) {
      c.error(`BFD ${name} already specified`);
      return SKIP;
    }
    bfd.checkerTracked.add(name);
  }
  return {
    pass,
    name,
    state,
    dropped: false,
    events: { vrrp: false, checker: false },
    inst: { name, minRxUs: 10_000, minTxUs: 10_000, idleTxUs: 1_000_000, multiplier: 5, passive: false, ttl: 0, maxHops: 0 },
  };
}

/** A BFD-pass-only keyword: ignored (without reading its words) in the VRRP and checker passes. */
function bfdOnly(fn: (c: Ctx, d: Draft) => void): KeywordSpec<Draft> {
  return {
    handler: (c) => {
      if (c.target.pass === 'bfd' && !c.target.dropped) fn(c, c.target);
    },
  };
}

/** keepalived: bfd_minrx_handler() and friends — decimal ms with 3 places. */
function interval(what: string, min: number, key: 'minRxUs' | 'minTxUs' | 'idleTxUs'): KeywordSpec<Draft> {
  return bfdOnly((c, d) => {
    const v = c.readDecimal(1, min * 1000, RANGE_MAX_MS * 1000, 3);
    if (v === undefined)
      return c.error(
        `Configuration error: BFD instance ${d.name} ${what} value ${c.word(1)} is not valid (must be in range [${min}-${RANGE_MAX_MS}]), ignoring`,
      );
    d.inst[key] = v;
    if (v > 10_000 * 1000) c.log(`Configuration warning: BFD instance ${d.name} ${what} value ${c.word(1)} is larger than max sensible (10000)`);
  });
}

const neighbor = bfdOnly((c, d) => {
  const a = inetStoSockaddr(c.with(c.target.state), c.word(1), '3784');
  if (!a) {
    // keepalived compares the address (not the keyword) with "neighbour_ip", so it always says "neighbor".
    c.error(`Configuration error: BFD instance ${d.name} has malformed neighbor address ${c.word(1)}, ignoring instance`);
    d.dropped = true;
    return;
  }
  d.inst.neighbor = { family: a.family, address: a.address };
});

const ttl = bfdOnly((c, d) => {
  const v = c.readUnsigned(1, 1, BFD_TTL_MAX);
  if (v === undefined)
    return c.error(
      `Configuration error: BFD instance ${d.name} ttl/hoplimit value ${c.word(1)} not valid (must be in range [1-${BFD_TTL_MAX}]), ignoring`,
    );
  d.inst.ttl = v;
});

const bfdSpec: BlockSpec<Draft> = {
  name: 'bfd_instance',
  keywords: {
    source_ip: bfdOnly((c, d) => {
      const a = inetStoSockaddr(c.with(c.target.state), c.word(1));
      if (!a) return c.error(`Configuration error: BFD instance ${d.name} has malformed source address ${c.word(1)}, ignoring`);
      d.inst.source = a;
    }),
    neighbor_ip: neighbor,
    neighbour_ip: neighbor,
    min_rx: interval('min_rx', 1, 'minRxUs'),
    min_tx: interval('min_tx', 1, 'minTxUs'),
    idle_tx: interval('idle_tx', 1000, 'idleTxUs'),
    multiplier: bfdOnly((c, d) => {
      const v = c.readUnsigned(1, 1, 255);
      if (v === undefined)
        return c.error(
          `Configuration error: BFD instance ${d.name} multiplier value ${c.word(1)} not valid (must be in range [1-255]), ignoring`,
        );
      d.inst.multiplier = v;
    }),
    passive: bfdOnly((_c, d) => {
      d.inst.passive = true;
    }),
    ttl,
    hoplimit: ttl,
    max_hops: bfdOnly((c, d) => {
      const v = c.readInt(1, -1, BFD_TTL_MAX);
      if (v === undefined)
        return c.error(
          `Configuration error: BFD instance ${d.name} max_hops value ${c.word(1)} not valid (must be in range [-1-${BFD_TTL_MAX}]), ignoring`,
        );
      d.inst.maxHops = v;
    }),
    // keepalived: bfd_vrrp_weight_handler() — VRRP pass only.
    weight: {
      handler: (c) => {
        const d = c.target;
        if (d.pass !== 'vrrp') return;
        const t = d.state.config.global.bfd.vrrpTracked.get(d.name);
        const v = c.readInt(1, -253, 253);
        if (v === undefined)
          c.error(`Configuration error: BFD instance ${d.name} weight value ${c.word(1)} not valid (must be in range [-253-253]), ignoring`);
        else if (t) t.weight = v;
        if (c.has(2)) {
          if (c.word(2) !== 'reverse') c.error(`Configuration error: BFD instance ${d.name} unknown weight option ${c.word(2)}`);
          else if (t) t.reverse = true;
        }
      },
    },
    vrrp: {
      handler: (c) => {
        if (!c.target.dropped) c.target.events.vrrp = true;
      },
    },
    checker: {
      handler: (c) => {
        if (!c.target.dropped) c.target.events.checker = true;
      },
    },
  },
};

/** keepalived: bfd_end_handler(), bfd_vrrp_end_handler(), bfd_checker_end_handler(). */
function close(c: Ctx): void {
  const d = c.target;
  if (d.dropped) return;
  const bfd = d.state.config.global.bfd;
  const restricted = d.events.vrrp || d.events.checker;
  if (d.pass === 'vrrp') {
    if (restricted && !d.events.vrrp) bfd.vrrpTracked.delete(d.name);
    return;
  }
  if (d.pass === 'checker') {
    if (restricted && !d.events.checker) bfd.checkerTracked.delete(d.name);
    return;
  }
  const { neighbor: nbr, source: src } = d.inst;
  if (!nbr) return c.error(`Configuration error: BFD instance ${d.name} has no neighbor address set, disabling instance`);
  if (src && src.family !== nbr.family) {
    // keepalived formats both addresses into one static buffer, so the source is printed twice.
    return c.error(
      `Configuration error: BFD instance ${d.name} source address ${ntop(src)} and neighbor address ${ntop(src)} are not of the same family, disabling instance`,
    );
  }
  // keepalived: find_bfd_by_addr().
  const same = (a: SockAddr, b: SockAddr): boolean => a.family === b.family && ntop(a) === ntop(b);
  const dup = bfd.instances.find(
    (i) => same(i.neighbor, nbr) && (!i.source || !src || same(i.source, src)),
  );
  if (dup) {
    return c.error(
      src
        ? `Configuration error: BFD instance ${d.name} has duplicate source/neighbor address ${ntop(src)}/${ntop(nbr)}, ignoring instance`
        : `Configuration error: BFD instance ${d.name} has duplicate neighbor address ${ntop(nbr)}, ignoring instance`,
    );
  }
  const inst: BfdInstance = {
    ...d.inst,
    neighbor: nbr,
    ttl: d.inst.ttl || (nbr.family === 4 ? 255 : 64),
    vrrp: !restricted || d.events.vrrp,
    checker: !restricted || d.events.checker,
  };
  if (inst.maxHops > inst.ttl) {
    c.error(`BFD instance ${d.name}: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit`);
    inst.maxHops = inst.ttl;
  }
  bfd.instances.push(inst);
}

export const bfdRootKeywords: Record<string, KeywordSpec<BuildState>> = {
  bfd_instance: { passes: ['checker', 'vrrp', 'bfd'], sub: sub(open, bfdSpec, close) },
};
