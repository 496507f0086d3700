/**
 * The root pino logger. JSON lines go to stdout (journald) or to a log file;
 * with -l (--log-console) the same records are also written to stderr in
 * keepalived's console format, `Sat Nov 21 15:50:51 2026: (VI_1) Entering MASTER STATE`,
 * so an operator's greps keep working. Messages are constants; values are fields.
 */
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** -D: debug level (keepalived's detailed logging). */
  readonly isDetailed: boolean;
  /** -l: keepalived-style text on stderr as well. */
  readonly isConsole: boolean;
  /** -g FILE: JSON to this file instead of stdout. */
  readonly file?: string;
  /** For tests: where the JSON goes. */
  readonly destination?: DestinationStream;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** strftime("%c") in the C locale, as keepalived's console log prints it. */
export function cTime(d: Date): string {
  const day = String(d.getDate()).padStart(2, ' ');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day} ${time} ${d.getFullYear()}`;
}

/** One pino JSON record as a keepalived console line: instance-scoped messages get "(NAME) ". */
export function consoleLine(record: string): string | undefined {
  let r: unknown;
  try {
    r = JSON.parse(record);
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as Record<string, unknown>;
  const msg = typeof o['msg'] === 'string' ? o['msg'] : '';
  const scope =
    typeof o['instance'] === 'string'
      ? `(${o['instance']}) `
      : typeof o['group'] === 'string'
        ? `VRRP_Group(${o['group']}) `
        : typeof o['script'] === 'string'
          ? `VRRP_Script(${o['script']}) `
          : '';
  const extra = typeof o['detail'] === 'string' ? ` ${o['detail']}` : '';
  const time = typeof o['time'] === 'number' ? new Date(o['time']) : new Date();
  return `${cTime(time)}: ${scope}${msg}${extra}\n`;
}

function consoleStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = consoleLine(pending.slice(0, nl));
        if (line !== undefined) out.write(line);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      done();
    },
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.isDetailed ? 'debug' : 'info';
  const json = options.destination ?? (options.file === undefined ? pino.destination({ fd: 1, sync: true }) : pino.destination({ dest: options.file, sync: true, append: true }));
  const streams: pino.StreamEntry[] = [{ level, stream: json }];
  if (options.isConsole) streams.push({ level, stream: consoleStream(process.stderr) });
  return pino({ level, base: { pid: process.pid }, errorKey: 'err' }, pino.multistream(streams));
}
