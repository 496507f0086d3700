/**
 * The daemon's composition root: config → logger → pid files → VRRP
 * subsystem → signals. Returns an exit status (keepalived's: 0 ok, 1 fatal,
 * 4 missing permission); only cli/ exits.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, type Config } from '../config/index.js';
import { readHostConfig } from '../host/read-host-config.js';
import { systemClock } from '../lib/clock.js';
import { createExec } from '../lib/exec.js';
import { createScriptRunner } from '../script/index.js';
import { IpRoute } from '../net/addresses.js';
import { GarpSender } from '../net/garp.js';
import { openVrrpChannel } from '../net/vrrp-socket.js';
import { createLogger, type Logger } from './logger.js';
import { writePidFile, type PidFile } from './pid-file.js';
import { createNotifyPort } from './notify-port.js';
import { createTrackerPort } from './tracker-port.js';
import { VrrpDaemon } from './vrrp-daemon.js';

export interface DaemonOptions {
  readonly configFile: string;
  readonly configId?: string;
  readonly vrrpOnly: boolean;
  readonly isConsoleLog: boolean;
  readonly isDetailLog: boolean;
  readonly logFile?: string;
  readonly pidFile: string;
  readonly vrrpPidFile: string;
  readonly umask: number;
  readonly commandLine: readonly string[];
  readonly version: string;
}

/** Resolves when the daemon has stopped; the value is the exit status. */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  process.umask(o.umask);
  const log = createLogger({ isConsole: o.isConsoleLog, isDetailed: o.isDetailLog, ...(o.logFile === undefined ? {} : { file: o.logFile }) });
  log.info({ version: o.version, detail: `v${o.version}` }, 'Starting keepalived-ts');
  log.info({ argv: o.commandLine, detail: o.commandLine.map((a) => `'${a}'`).join(' ') }, 'Command line:');
  log.info({ file: o.configFile, detail: o.configFile }, 'Configuration file');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    log.fatal('keepalived-ts must run as root (raw sockets, addresses)');
    return 4;
  }
  const config = loadConfig(o, log);
  if (config === undefined) return 1;
  if (!o.vrrpOnly && config.lvs.virtualServers.length > 0) {
    log.fatal('the health-checker subsystem is not implemented yet: run with -P (--vrrp) to run VRRP only');
    return 1;
  }
  const pidFiles: PidFile[] = [];
  try {
    pidFiles.push(writePidFile(o.pidFile));
    if (o.vrrpPidFile !== o.pidFile) pidFiles.push(writePidFile(o.vrrpPidFile));
  } catch (err) {
    log.fatal({ err }, 'cannot write pid file');
    for (const p of pidFiles) p.remove();
    return 1;
  }
  const exec = createExec();
  const ip = new IpRoute(exec);
  const garp = new GarpSender();
  const runScript = createScriptRunner();
  let daemon: VrrpDaemon;
  try {
    const notify = await createNotifyPort(config, { log, exec, runScript });
    daemon = await VrrpDaemon.start(
      {
        log,
        clock: systemClock,
        addresses: ip,
        garp,
        notify,
        trackers: createTrackerPort({ log, clock: systemClock, runScript }),
        openChannel: openVrrpChannel,
      },
      config,
    );
  } catch (err) {
    log.fatal({ err }, 'VRRP subsystem failed to start');
    for (const p of pidFiles) p.remove();
    return 1;
  }
  log.info('Startup complete');
  return new Promise<number>((resolve) => {
    let isStopping = false;
    const stop = (signal: string): void => {
      if (isStopping) {
        log.warn({ signal }, 'second signal: exiting at once');
        for (const p of pidFiles) p.remove();
        resolve(1);
        return;
      }
      isStopping = true;
      log.info({ signal }, 'Stopping');
      daemon
        .stop()
        .catch((err: unknown) => log.error({ err }, 'error while stopping'))
        .finally(() => {
          garp.close();
          for (const p of pidFiles) p.remove();
          log.info({ version: o.version, detail: `v${o.version}` }, 'Stopped keepalived-ts');
          for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2'] as const) process.removeAllListeners(s);
          resolve(0);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => log.warn('reload (SIGHUP) is not implemented yet: keeping the running configuration'));
    process.on('SIGUSR2', () => {
      // keepalived: vrrp_print_stats() into $TMPDIR/keepalived.stats (0600 through our umask).
      const file = path.join(process.env['TMPDIR'] ?? '/tmp', 'keepalived.stats');
      try {
        writeFileSync(file, daemon.statsText());
        log.info({ file, detail: file }, 'Printing VRRP stats');
      } catch (err) {
        log.error({ err, file }, 'cannot write stats');
      }
    });
  });
}

function loadConfig(o: DaemonOptions, log: Logger): Config | undefined {
  const result = readHostConfig({ path: o.configFile, configId: o.configId, strictIncludes: false });
  for (const d of result.diagnostics) log.warn({ code: d.code, detail: formatDiagnostic(d) }, 'configuration problem');
  if (result.files.length === 0) {
    log.fatal({ file: o.configFile }, 'Configuration file does not exist or cannot be read');
    return undefined;
  }
  return result.config;
}
