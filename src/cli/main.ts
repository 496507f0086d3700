#!/usr/bin/env node
/**
 * keepalived-ts command line. keepalived's flags where they exist; the only
 * module that calls process.exit.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
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
}>();

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
  process.stderr.write('keepalived-ts: only -t/--config-test and --dump-conf are implemented so far\n');
  process.exitCode = 1;
}
