#!/usr/bin/env node
/**
 * keepalived-ts command line. keepalived's flags where they exist; the only
 * module that calls process.exit.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { strtoll } from '../lib/strtol.js';
import { runConfigTest } from './config-test.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('keepalived-ts')
  .description('keepalived-compatible HA controller (VRRP, health checks, IPVS)')
  .option('-f, --use-file <file>', 'use the specified configuration file', '/etc/keepalived/keepalived.conf')
  .addOption(
    new Option('-t, --config-test [file]', 'check the configuration, then exit (messages to stderr, or appended to FILE)'),
  )
  .option('-i, --config-id <id>', "match '@id' configuration lines against ID (default: node name up to the first '.')")
  .option('-e, --all-config', 'treat every include as strict (includea)')
  .option('-d, --dump-conf', 'print the resolved configuration as JSON (docs/config-json.md), then exit')
  .option('--keepalived-messages', 'print messages in keepalived\'s "(FILE: Line N) text" form')
  .option('-q, --quiet', 'with -t: print nothing, only set the exit status')
  .option('-P, --vrrp', 'only run the VRRP subsystem')
  .option('-n, --dont-fork', "don't fork the daemon process")
  .option('-l, --log-console', 'also log to the console (stderr), in keepalived\'s format')
  .option('-D, --log-detail', 'detailed log messages')
  .option('-g, --log-file <file>', 'log (JSON) to FILE instead of stdout')
  .option('-S, --log-facility <facility>', 'accepted for compatibility; logs go to stdout/journald')
  .option('-p, --pid <file>', 'use the specified pidfile for the parent process', '/run/keepalived.pid')
  .option('-r, --vrrp_pid <file>', 'use the specified pidfile for the VRRP subsystem', '/run/vrrp.pid')
  .option('-c, --checkers_pid <file>', 'accepted for compatibility (no checker subsystem yet)')
  .option('-u, --umask <mask>', 'umask for file creation (in numeric form: 0177, 0x7f, 127; default 0177 or global_defs umask)')
  .version(pkg.version, '-v, --version');

program.parse(process.argv);
const o = program.opts<{
  useFile: string;
  configTest?: string | boolean;
  configId?: string;
  allConfig?: boolean;
  dumpConf?: boolean;
  keepalivedMessages?: boolean;
  quiet?: boolean;
  vrrp?: boolean;
  dontFork?: boolean;
  logConsole?: boolean;
  logDetail?: boolean;
  logFile?: string;
  pid: string;
  vrrp_pid: string;
  umask?: string;
}>();

/**
 * keepalived: set_umask(): strtoll(optarg, &end, 0); junk, a negative value or
 * bits outside 0777 print "Invalid --umask option" and are ignored, and then
 * the config's umask (or 0177) applies as if -u had not been given.
 */
function parseUmask(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const r = strtoll(text);
  if (r.end !== text.length || r.value < 0n || (r.value & ~0o777n) !== 0n) {
    process.stderr.write(`Invalid --umask option ${text}\n`);
    return undefined;
  }
  return Number(r.value);
}
const umask = parseUmask(o.umask);

if (o.configTest !== undefined || o.dumpConf) {
  const code = runConfigTest({
    path: o.useFile,
    ...(o.configId !== undefined ? { configId: o.configId } : {}),
    strictIncludes: o.allConfig === true,
    dump: o.dumpConf === true,
    keepalivedMessages: o.keepalivedMessages === true,
    quiet: o.quiet === true,
    ...(typeof o.configTest === 'string' ? { messagesFile: o.configTest } : {}),
  });
  process.exitCode = code;
} else {
  // Loaded only here: `-t` never pays for the daemon's modules (pino, sockets, scripts). No
  // top-level await: the bin is a CommonJS bundle (scripts/bundle.mjs). A failed load rejects
  // unhandled, which ends the process with status 1 as an uncaught exception would.
  void import('./daemon.js').then(({ startDaemon }) =>
    startDaemon({
      configFile: o.useFile,
      ...(o.configId !== undefined ? { configId: o.configId } : {}),
      strictIncludes: o.allConfig === true,
      vrrpOnly: o.vrrp === true,
      isConsoleLog: o.logConsole === true,
      isDetailLog: o.logDetail === true,
      ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
      pidFile: o.pid,
      vrrpPidFile: o.vrrp_pid,
      ...(umask === undefined ? {} : { umask }),
      commandLine: process.argv.slice(1),
      version: pkg.version,
      isForeground: o.dontFork === true,
    }),
  );
}
