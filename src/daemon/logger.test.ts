import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLine, createLogger, cTime } from './logger.js';

// Dates are built from local-time parts, so the expectations hold in any TZ.
describe('cTime (strftime %c, C locale)', () => {
  it.each<[string, Date, string]>([
    ['the console example', new Date(2026, 10, 21, 15, 50, 51), 'Sat Nov 21 15:50:51 2026'],
    ['a one-digit day is space-padded, hours/minutes/seconds zero-padded', new Date(2026, 0, 5, 9, 3, 7), 'Mon Jan  5 09:03:07 2026'],
    ['midnight on the last day of the year', new Date(2025, 11, 31, 0, 0, 0), 'Wed Dec 31 00:00:00 2025'],
  ])('%s', (_, date, text) => {
    expect(cTime(date)).toBe(text);
  });
});

describe('consoleLine', () => {
  const at = new Date(2026, 10, 21, 15, 50, 51);
  const line = (fields: Record<string, unknown>) => consoleLine(JSON.stringify({ level: 30, time: at.getTime(), pid: 1, ...fields }));

  it.each<[string, Record<string, unknown>, string]>([
    ['an instance message', { instance: 'VI_1', msg: 'Entering MASTER STATE' }, '(VI_1) Entering MASTER STATE'],
    ['a group message', { group: 'G1', msg: 'Syncing instances to MASTER state' }, 'VRRP_Group(G1) Syncing instances to MASTER state'],
    ['a script message with detail', { script: 'chk', msg: 'failed', detail: '(exited with status 1)' }, 'VRRP_Script(chk) failed (exited with status 1)'],
    ['an unscoped message with detail', { msg: 'Netlink reports', detail: 'eth0 down' }, 'Netlink reports eth0 down'],
    ['an unscoped message', { msg: 'Startup complete' }, 'Startup complete'],
    ['instance wins over group and script', { instance: 'VI_1', group: 'G1', script: 'chk', msg: 'm' }, '(VI_1) m'],
    ['group wins over script', { group: 'G1', script: 'chk', msg: 'm' }, 'VRRP_Group(G1) m'],
    ['non-string scope and detail fields are ignored', { instance: 7, detail: 3, msg: 'm' }, 'm'],
  ])('%s', (_, fields, text) => {
    expect(line(fields)).toBe(`Sat Nov 21 15:50:51 2026: ${text}\n`);
  });

  it.each([['not json'], [''], ['null'], ['42'], ['"text"']])('%j is not a record: undefined', (text) => {
    expect(consoleLine(text)).toBeUndefined();
  });

  describe('without a time field', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('uses the current time', () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date(2026, 0, 5, 9, 3, 7));
      expect(consoleLine('{"msg":"Stopped"}')).toBe('Mon Jan  5 09:03:07 2026: Stopped\n');
    });
  });
});

/** A pino destination that keeps every JSON record. */
function sink() {
  const records: Array<Record<string, unknown>> = [];
  return { records, destination: { write: (s: string) => void records.push(JSON.parse(s) as Record<string, unknown>) } };
}

describe('createLogger', () => {
  it.each<[string, boolean, string[]]>([
    ['info and up without -D', false, ['info', 'warn', 'error']],
    ['debug and up with -D', true, ['debug', 'info', 'warn', 'error']],
  ])('writes %s', (_, isDetailed, msgs) => {
    const { records, destination } = sink();
    const log = createLogger({ isDetailed, isConsole: false, destination });
    log.trace('trace');
    log.debug('debug');
    log.info('info');
    log.warn('warn');
    log.error('error');
    expect(records.map((r) => r['msg'])).toEqual(msgs);
  });

  it('writes JSON records with level, time, pid, child bindings and fields', () => {
    const { records, destination } = sink();
    const log = createLogger({ isDetailed: false, isConsole: false, destination });
    log.child({ component: 'vrrp', instance: 'VI_1' }).info({ from: 'BACKUP', to: 'MASTER' }, 'vrrp transition');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 30, pid: process.pid, component: 'vrrp', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', msg: 'vrrp transition' });
    expect(typeof records[0]?.['time']).toBe('number');
  });

  it('puts errors under err with their message and stack', () => {
    const { records, destination } = sink();
    const log = createLogger({ isDetailed: false, isConsole: false, destination });
    log.error({ err: new Error('boom') }, 'failed');
    expect(records[0]?.['err']).toMatchObject({ type: 'Error', message: 'boom' });
    expect(String((records[0]?.['err'] as Record<string, unknown>)['stack'])).toContain('boom');
  });

  describe('with -l', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('also writes keepalived console lines to stderr', async () => {
      const written: string[] = [];
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      const { records, destination } = sink();
      const log = createLogger({ isDetailed: false, isConsole: true, destination });
      log.child({ instance: 'VI_1' }).info('Entering MASTER STATE');
      log.debug('not at info');
      await new Promise((resolve) => setImmediate(resolve));
      expect(records.map((r) => r['msg'])).toEqual(['Entering MASTER STATE']);
      expect(written).toEqual([`${cTime(new Date(records[0]?.['time'] as number))}: (VI_1) Entering MASTER STATE\n`]);
    });
  });
});
