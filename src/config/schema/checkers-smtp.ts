/**
 * SMTP_CHECK (keepalived: check_smtp.c). The deprecated `host { … }` blocks
 * each become one more SMTP checker on the same real server.
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { sub } from '../engine.js';
import { baseChecker, checkConnOpts, checkerBlock, connKeywords, dequeue, scheduleKeywords } from './checker-common.js';
import type { CheckerCtx, ConnOpts, RsCtx, SmtpChecker } from './lvs-model.js';

type SmtpCtx = CheckerCtx<SmtpChecker> & { hosts: ConnOpts[]; host?: ConnOpts };

const SMTP_DEFAULT_HELO = 'smtpchecker.keepalived.org';

const hostKeywords = connKeywords<SmtpCtx>((t) => t.host ?? t.checker.connection);

const smtpKeywords: Record<string, KeywordSpec<SmtpCtx>> = {
  helo_name: {
    handler: (c) => {
      if (!c.has(1)) c.error('SMTP_CHECK helo name missing');
      else c.target.checker.heloName = c.word(1);
    },
  },
  ...connKeywords<SmtpCtx>((t) => t.checker.connection),
  ...(scheduleKeywords as Record<string, KeywordSpec<SmtpCtx>>),
  host: {
    sub: sub(
      (c: HandlerCtx<SmtpCtx>) => {
        c.target.host = { dst: { ...c.target.rs.addr }, fwmark: 0 };
        return c.target;
      },
      { name: 'host', keywords: hostKeywords },
      (c: HandlerCtx<SmtpCtx>) => {
        const t = c.target;
        // keepalived: smtp_host_end_handler()
        if (t.host && checkConnOpts(c, t.host)) t.hosts.push(t.host);
        delete t.host;
      },
    ),
  },
};

/** Anything set on the checker's own connection (keepalived tests each field). */
const connTouched = (co: ConnOpts): boolean =>
  co.dst !== undefined || co.bindto !== undefined || co.bindIf !== undefined || co.fwmark !== 0 || co.connectTimeoutMs !== undefined;

/** keepalived: smtp_check_end_handler(). */
function smtpEnd(c: HandlerCtx<SmtpCtx>): void {
  const t = c.target;
  const chk = t.checker;
  if (t.hosts.length) c.log('The SMTP_CHECK host block is deprecated. Please define additional checkers.');
  let hosts = t.hosts;
  if (connTouched(chk.connection) || hosts.length === 0) {
    const co = chk.connection;
    const port = co.dst?.port ?? 0;
    co.dst = { ...(co.dst ?? t.rs.addr), port: port || t.rs.addr.port };
    if (!checkConnOpts(c, co)) {
      dequeue(t);
      return;
    }
  } else {
    const [first, ...rest] = hosts;
    if (first) chk.connection = first;
    hosts = rest;
  }
  const connTo = t.rs.written.connectTimeoutMs ?? t.vs.connectTimeoutMs;
  chk.connection.connectTimeoutMs ??= connTo;
  for (const co of hosts) {
    co.connectTimeoutMs ??= connTo;
    t.rs.checkers.push({ ...chk, written: { ...chk.written }, connection: co });
  }
}

export const smtpCheckerKeyword: KeywordSpec<RsCtx> = checkerBlock<SmtpChecker, { hosts: ConnOpts[] }>(
  'SMTP_CHECK',
  (c) => ({ ...baseChecker(c), type: 'SMTP_CHECK', connection: { fwmark: 0 }, heloName: SMTP_DEFAULT_HELO }),
  smtpKeywords,
  smtpEnd,
  (b) => ({ state: b.state, vs: b.vs, rs: b.rs, checker: b.checker, queued: b.queued, hosts: [] }),
);
