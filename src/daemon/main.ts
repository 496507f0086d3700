/**
 * The daemon's composition root: signals → config → umask → pid files → VRRP
 * subsystem. Returns keepalived's exit status (lib/scheduler.h); only cli/ exits.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, openSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, type Config } from '../config/index.js';
import { readHostConfig } from '../host/read-host-config.js';
import { systemClock } from '../lib/clock.js';
import { createExec } from '../lib/exec.js';
import { createScriptRunner } from '../script/index.js';
import { trackFileInitAction, type TrackFilePathState } from '../track/index.js';
import { IpRoute } from '../net/addresses.js';
import { GarpSender } from '../net/garp.js';
import { openVrrpChannel } from '../net/vrrp-socket.js';
import { createLogger, type Logger } from './logger.js';
import { runningPid, writePidFile, type PidFile } from './pid-file.js';
import { createNotifyPort } from './notify-port.js';
import { createTrackerPort } from './tracker-port.js';
import { VrrpDaemon } from './vrrp-daemon.js';

export interface DaemonOptions {
  readonly configFile: string;
  readonly configId?: string;
  /** -e: every include is strict (includea). */
  readonly strictIncludes: boolean;
  readonly vrrpOnly: boolean;
  readonly isConsoleLog: boolean;
  readonly isDetailLog: boolean;
  readonly logFile?: string;
  readonly pidFile: string;
  readonly vrrpPidFile: string;
  /** -u, when given: it overrides global_defs `umask`. */
  readonly umask?: number;
  readonly commandLine: readonly string[];
  readonly version: string;
}

/** keepalived: KEEPALIVED_EXIT_* in lib/scheduler.h. */
const EXIT_OK = 0;
const EXIT_FATAL = 1;
const EXIT_CONFIG = 2;
const EXIT_MISSING_PERMISSION = 4;
const EXIT_NO_CONFIG = 6;

/** keepalived: umask_val in lib/utils.c (S_IXUSR | S_IRWXG | S_IRWXO). */
const DEFAULT_UMASK = 0o177;

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

type StopSignal = (typeof STOP_SIGNALS)[number];

/** What the daemon has, for the signal handlers and the stop path. */
interface Run {
  phase: 'starting' | 'running' | 'stopping';
  /** SIGTERM/SIGINT while starting: acted on at the next safe point. */
  pendingStop: StopSignal | undefined;
  umask: number;
  pidFiles: PidFile[];
  daemon: VrrpDaemon | undefined;
  garp: GarpSender | undefined;
}

/** Resolves when the daemon has stopped; the value is the exit status. */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  const run: Run = { phase: 'starting', pendingStop: undefined, umask: o.umask ?? DEFAULT_UMASK, pidFiles: [], daemon: undefined, garp: undefined };
  process.umask(run.umask);
  const log = createLogger({ isConsole: o.isConsoleLog, isDetailed: o.isDetailLog, ...(o.logFile === undefined ? {} : { file: o.logFile }) });
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const stop = (signal: StopSignal): void => {
    run.phase = 'stopping';
    log.info({ signal }, 'Stopping');
    void stopRunning(o, log, run).then(finish);
  };
  // Before the first await: without a listener SIGHUP and SIGUSR2 take Node's default action (the
  // process dies) and SIGTERM skips the clean-up. keepalived ignores them until signal_init().
  const listeners = installSignalHandlers(log, run, {
    stop,
    force: () => {
      removePidFiles(run);
      finish(EXIT_FATAL);
    },
  });
  try {
    const started = await Promise.race([startUp(o, log, run), finished]);
    if (started !== 'started') return started;
    if (run.pendingStop !== undefined) stop(run.pendingStop);
    // Signal listeners do not keep the event loop alive: with nothing to run (keepalived: "no
    // configuration to run", it keeps running) Node would end here, leaving the pid files.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      return await finished;
    } finally {
      clearInterval(keepAlive);
    }
  } finally {
    for (const [signal, fn] of listeners) process.off(signal, fn);
  }
}

function installSignalHandlers(
  log: Logger,
  run: Run,
  on: { readonly stop: (signal: StopSignal) => void; readonly force: () => void },
): Array<[NodeJS.Signals, () => void]> {
  const listeners: Array<[NodeJS.Signals, () => void]> = [];
  for (const signal of STOP_SIGNALS) {
    listeners.push([
      signal,
      () => {
        if (run.phase === 'stopping' || run.pendingStop !== undefined) {
          log.warn({ signal }, 'second signal: exiting at once');
          on.force();
        } else if (run.phase === 'starting') {
          run.pendingStop = signal;
          log.info({ signal }, 'stop requested during start-up: stopping once started');
        } else on.stop(signal);
      },
    ]);
  }
  listeners.push(['SIGHUP', () => log.warn('reload (SIGHUP) is not implemented yet: keeping the running configuration')]);
  listeners.push(['SIGUSR2', () => printStats(log, run)]);
  for (const [signal, fn] of listeners) process.on(signal, fn);
  return listeners;
}

/** Everything up to "Startup complete"; a number is the exit status of a start that did not complete. */
async function startUp(o: DaemonOptions, log: Logger, run: Run): Promise<number | 'started'> {
  log.info({ version: o.version, detail: `v${o.version}` }, 'Starting keepalived-ts');
  log.info({ argv: o.commandLine, detail: o.commandLine.map((a) => `'${a}'`).join(' ') }, 'Command line:');
  log.info({ file: o.configFile, detail: o.configFile }, 'Configuration file');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    log.fatal('keepalived-ts must run as root (raw sockets, addresses)');
    return EXIT_MISSING_PERMISSION;
  }
  const loaded = loadConfig(o, log);
  if (typeof loaded === 'number') return loaded;
  const config = loaded;
  applyConfigUmask(o, log, run, config);
  if (!o.vrrpOnly && config.lvs.virtualServers.length > 0) {
    log.fatal('the health-checker subsystem is not implemented yet: run with -P (--vrrp) to run VRRP only');
    return EXIT_FATAL;
  }
  const pidPaths = o.vrrpPidFile === o.pidFile ? [o.pidFile] : [o.pidFile, o.vrrpPidFile];
  // keepalived: keepalived_running() checks every pid file before writing any, and exits 0.
  for (const p of pidPaths) {
    const pid = runningPid(p);
    if (pid !== undefined) {
      log.info({ file: p, pid }, 'daemon is already running');
      return EXIT_OK;
    }
  }
  try {
    for (const p of pidPaths) {
      const f = writePidFile(p);
      run.pidFiles.push(f);
      if (f.isStaleReplaced) log.info({ file: p, detail: p }, 'Remove a zombie pid file');
    }
  } catch (err) {
    // keepalived logs "Cannot open pidfile" and exits 0; a daemon that did not start is a failure here (docs/compat.md #18).
    log.fatal({ err }, 'cannot write pid file');
    removePidFiles(run);
    return EXIT_FATAL;
  }
  initTrackFiles(log, run, config);
  return startVrrp(o, log, run, config);
}

/**
 * keepalived: track_file_end_handler() writes `init_file` values as the VRRP
 * (and checker) process reads its config, after the parent's pid-file check,
 * through fopen_safe(): mode 0666 & ~umask, never through what is at the path.
 */
function initTrackFiles(log: Logger, run: Run, config: Config): void {
  // Every block with init_file, repeated names too. A path that is not a regular file was
  // reported by the config reader ("Cannot initialise track file …"), as keepalived reports it
  // while reading: it is logged with the other configuration problems, not twice.
  for (const def of config.trackFileInits) {
    const action = trackFileInitAction(def.init, pathState(def.file), false);
    if (action.kind === 'write') {
      try {
        writeFileReplacing(def.file, action.text, 0o666 & ~run.umask);
      } catch (err) {
        log.error({ err, trackFile: def.name, file: def.file }, `Unable to initialise track file ${def.name}`);
      }
    }
  }
}

/** stat() as keepalived calls it: symlinks followed, any failure taken as "not there". */
function pathState(file: string): TrackFilePathState {
  try {
    return statSync(file).isFile() ? 'regular' : 'other';
  } catch {
    return 'missing';
  }
}

async function startVrrp(o: DaemonOptions, log: Logger, run: Run, config: Config): Promise<number | 'started'> {
  const exec = createExec();
  const runScript = createScriptRunner();
  const garp = new GarpSender();
  const notify = await createNotifyPort(config, { log, exec, runScript });
  const abandon = async (code: number): Promise<number> => {
    await notify.close();
    garp.close();
    removePidFiles(run);
    return code;
  };
  if (run.pendingStop !== undefined) {
    // Nothing runs yet: no advert sent, no address touched.
    const code = await abandon(EXIT_OK);
    logStopped(o, log);
    return code;
  }
  try {
    run.daemon = await VrrpDaemon.start(
      {
        log,
        clock: systemClock,
        addresses: new IpRoute(exec),
        garp,
        notify,
        trackers: createTrackerPort({ log, clock: systemClock, runScript }),
        openChannel: openVrrpChannel,
      },
      config,
    );
  } catch (err) {
    log.fatal({ err }, 'VRRP subsystem failed to start');
    return abandon(EXIT_FATAL);
  }
  run.garp = garp;
  run.phase = 'running';
  log.info('Startup complete');
  return 'started';
}

async function stopRunning(o: DaemonOptions, log: Logger, run: Run): Promise<number> {
  try {
    await run.daemon?.stop();
  } catch (err) {
    log.error({ err }, 'error while stopping');
  }
  run.garp?.close();
  removePidFiles(run);
  logStopped(o, log);
  return EXIT_OK;
}

function logStopped(o: DaemonOptions, log: Logger): void {
  log.info({ version: o.version, detail: `v${o.version}` }, 'Stopped keepalived-ts');
}

function removePidFiles(run: Run): void {
  for (const p of run.pidFiles) p.remove();
}

/**
 * keepalived: the parent stops with KEEPALIVED_EXIT_NO_CONFIG when the main
 * file is missing (check_conf_file) or a strict include failed
 * (had_config_file_error), and a missing parameter exits KEEPALIVED_EXIT_CONFIG
 * (null_strvec) from whichever process reads it.
 */
function loadConfig(o: DaemonOptions, log: Logger): Config | number {
  const result = readHostConfig({ path: o.configFile, configId: o.configId, strictIncludes: o.strictIncludes });
  for (const d of result.diagnostics) log.warn({ code: d.code, detail: formatDiagnostic(d) }, 'configuration problem');
  if (result.files.length === 0) {
    log.fatal({ file: o.configFile }, 'Configuration file does not exist or cannot be read');
    return EXIT_NO_CONFIG;
  }
  if (result.strictIncludeFailed) {
    log.fatal({ file: o.configFile }, 'a strict include (includea, include_check, -e) failed: not starting');
    return EXIT_NO_CONFIG;
  }
  // readConfig's status 2 is only ever a missing parameter (the build aborted there).
  if (result.exitCode === EXIT_CONFIG) {
    log.fatal({ file: o.configFile }, 'a configuration keyword is missing its parameter: not starting');
    return EXIT_CONFIG;
  }
  return result.config;
}

/** keepalived: umask_handler() applies global_defs `umask` unless -u was given. */
function applyConfigUmask(o: DaemonOptions, log: Logger, run: Run, config: Config): void {
  const fromConfig = config.global.umask;
  if (fromConfig === undefined) return;
  if (o.umask !== undefined) {
    log.info('umask command line option specified, ignoring config option');
    return;
  }
  run.umask = fromConfig;
  process.umask(fromConfig);
}

/** SIGUSR2. keepalived: vrrp_print_stats() into $TMPDIR/keepalived.stats. */
function printStats(log: Logger, run: Run): void {
  if (run.daemon === undefined) {
    log.info('VRRP stats requested during start-up: ignored');
    return;
  }
  const file = path.join(process.env['TMPDIR'] ?? '/tmp', 'keepalived.stats');
  try {
    writeFileReplacing(file, run.daemon.statsText(), 0o666 & ~run.umask);
    log.info({ file, detail: file }, 'Printing VRRP stats');
  } catch (err) {
    log.error({ err, file }, 'cannot write stats');
  }
}

/**
 * keepalived: fopen_safe(path, "w"). Never truncates or follows what is at
 * `file` (root writing into /tmp): a new file next to it (O_EXCL|O_NOFOLLOW,
 * 0600), fchmod'ed to `mode`, renamed over the name.
 */
function writeFileReplacing(file: string, text: string, mode: number): void {
  const tmp = `${file}.${randomBytes(6).toString('hex')}`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      fchmodSync(fd, mode);
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
}
