/**
 * What all checker blocks share (keepalived: check_api.c queue_checker(),
 * install_checker_common_keywords(), check_conn_opts(), dequeue_new_checker()).
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { readUnsigned, sub, UINT_MAX } from '../engine.js';
import type { Checker, CheckerCtx, ConnOpts, RsCtx } from './lvs-model.js';
import { optBool, readSockAddr, readTimerLenient, usToMs } from './lvs-values.js';

export type ConnChecker = Extract<Checker, { connection: ConnOpts }>;
type Kw<C extends Checker> = KeywordSpec<CheckerCtx<C>>;

/** keepalived: queue_checker() — defaults are resolved by validation. */
export function baseChecker(c: HandlerCtx<RsCtx>): Omit<Checker & { type: 'TCP_CHECK' }, 'type' | 'connection'> {
  return {
    loc: c.loc,
    written: {},
    alpha: false,
    retry: 1,
    delayLoopMs: 60_000,
    warmupMs: 60_000,
    delayBeforeRetryMs: 1_000,
    logAllFailures: false,
  };
}

export const newConn = (r: RsCtx): ConnOpts => ({ dst: { ...r.rs.addr }, fwmark: 0 });

/** keepalived: dequeue_new_checker(). */
export function dequeue(c: CheckerCtx): void {
  const list = c.rs.checkers;
  const i = list.indexOf(c.checker);
  if (i >= 0) list.splice(i, 1);
  c.queued = false;
}

/** keepalived: check_conn_opts() — an IPv6 link-local destination needs bind_if. */
export function checkConnOpts(c: HandlerCtx<unknown>, co: ConnOpts): boolean {
  const d = co.dst;
  if (d?.family === 'inet6' && /^fe[89ab]/i.test(d.address) && !co.bindIf) {
    c.error(`Checker link local address ${d.address} requires a bind_if`);
    return false;
  }
  return true;
}

const setDstPort = (co: ConnOpts, r: RsCtx, port: number): void => {
  co.dst = co.dst ? { ...co.dst, port } : { ...r.rs.addr, family: r.rs.addr.family, port };
};

/** Connection keywords on a ConnOpts picked by `co` (the checker's, or an SMTP host's). */
export function connKeywords<T extends CheckerCtx>(co: (t: T) => ConnOpts): Record<string, KeywordSpec<T>> {
  return {
    connect_ip: {
      handler: (c) => {
        const o = co(c.target);
        const a = readSockAddr(c, c.word(1), undefined);
        if (!a) c.error(`Invalid connect_ip address ${c.word(1)} - ignoring`);
        else if (o.bindto && o.bindto.family !== a.family) {
          c.error(`connect_ip address ${c.word(1)} does not match address family of bindto - skipping`);
          delete o.dst;
        } else o.dst = { ...a, port: o.dst?.port ?? 0 };
      },
    },
    connect_port: {
      handler: (c) => {
        const v = readUnsigned(c, c.word(1), 1, 65535);
        if (v === undefined) c.error(`Invalid checker connect_port '${c.word(1)}'`);
        else setDstPort(co(c.target), c.target, v);
      },
    },
    bindto: {
      handler: (c) => {
        const o = co(c.target);
        const a = readSockAddr(c, c.word(1), undefined);
        if (!a) c.error(`Invalid bindto address ${c.word(1)} - ignoring`);
        else if (o.dst && o.dst.family !== a.family) {
          c.error(`bindto address ${c.word(1)} does not match address family of connect_ip - skipping`);
          delete o.bindto;
        } else o.bindto = { ...a, port: o.bindto?.port ?? 0 };
      },
    },
    bind_port: {
      handler: (c) => {
        const v = readUnsigned(c, c.word(1), 1, 65535);
        const o = co(c.target);
        if (v === undefined) c.error(`Invalid checker bind_port '${c.word(1)}'`);
        else o.bindto = o.bindto ? { ...o.bindto, port: v } : { family: 'inet', address: '0.0.0.0', port: v };
      },
    },
    bind_if: {
      handler: (c) => {
        const s = c.word(1);
        if (s.length > 15) c.error(`Interface name ${s} is too long - ignoring`);
        else co(c.target).bindIf = s;
      },
    },
    connect_timeout: {
      handler: (c) => {
        const us = readTimerLenient(c, 1, 1, UINT_MAX);
        if (us === undefined) c.error(`connect_timeout ${c.word(1)} invalid - ignoring`);
        else co(c.target).connectTimeoutMs = usToMs(us);
      },
    },
    fwmark: {
      handler: (c) => {
        const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
        if (v === undefined) c.error(`Invalid fwmark connection value '${c.word(1)}'`);
        else co(c.target).fwmark = v;
      },
    },
  };
}

const schedTimer = (min: number, msg: (v: string) => string, field: 'delayBeforeRetryMs' | 'warmupMs' | 'delayLoopMs'): Kw<Checker> => ({
  handler: (c) => {
    const us = readTimerLenient(c, 1, min);
    if (us === undefined) c.error(msg(c.word(1)));
    else c.target.checker.written[field] = usToMs(us);
  },
});

export const scheduleKeywords: Record<string, Kw<Checker>> = {
  retry: {
    handler: (c) => {
      const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
      if (v === undefined) c.error(`Invalid retry connection value '${c.word(1)}'`);
      else c.target.checker.written.retry = v;
    },
  },
  delay_before_retry: schedTimer(0, (v) => `Invalid delay_before_retry connection value '${v}'`, 'delayBeforeRetryMs'),
  warmup: schedTimer(0, (v) => `Invalid warmup connection value '${v}'`, 'warmupMs'),
  delay_loop: schedTimer(1, (v) => `delay_loop '${v}' is invalid - ignoring`, 'delayLoopMs'),
  alpha: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid alpha parameter ${v}`);
      if (b !== undefined) c.target.checker.written.alpha = b;
    },
  },
  log_all_failures: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid log_all_failures parameter ${v}`);
      if (b !== undefined) c.target.checker.logAllFailures = b;
    },
  },
};

export const commonConnKeywords = {
  ...(connKeywords<CheckerCtx<ConnChecker>>((t) => t.checker.connection) as Record<string, Kw<ConnChecker>>),
  ...scheduleKeywords,
};

/**
 * A checker block: `make` queues the checker, `end` is keepalived's sublevel end handler,
 * `extend` adds a checker type's own drafting state to the block's context.
 */
export function checkerBlock<C extends Checker, X extends object = object>(
  name: string,
  make: (c: HandlerCtx<RsCtx>) => C,
  keywords: Record<string, KeywordSpec<CheckerCtx<C> & X>>,
  end?: (c: HandlerCtx<CheckerCtx<C> & X>) => void,
  extend?: (ctx: CheckerCtx<C>) => CheckerCtx<C> & X,
): KeywordSpec<RsCtx> {
  return {
    sub: sub(
      (c: HandlerCtx<RsCtx>) => {
        const checker = make(c);
        const r = c.target;
        r.rs.checkers.push(checker);
        // Contexts are written out field by field: spreading one (and Object.assign)
        // took V8's slow path and cost microseconds per real server.
        const ctx: CheckerCtx<C> = { state: r.state, vs: r.vs, rs: r.rs, checker, queued: true };
        return extend ? extend(ctx) : (ctx as CheckerCtx<C> & X);
      },
      { name, keywords },
      end ? (c) => end(c) : undefined,
    ),
  };
}

