/** `-t` / `--dump-conf`: read the config, print diagnostics or the model, return keepalived's status. */
import { appendFileSync } from 'node:fs';
import { defaultConfigId, formatDiagnostic, formatKeepalivedStyle, readConfig } from '../config/index.js';
import { configToJson } from '../config/json.js';
import { nodeConfigFs } from '../host/node-fs.js';
import { nodeHostFacts } from '../host/node-host.js';

export interface ConfigTestOptions {
  readonly path: string;
  readonly configId?: string;
  readonly strictIncludes: boolean;
  readonly dump: boolean;
  readonly keepalivedMessages: boolean;
  readonly quiet: boolean;
  readonly messagesFile?: string;
}

export function runConfigTest(o: ConfigTestOptions): number {
  const host = nodeHostFacts();
  const result = readConfig({
    path: o.path,
    configId: o.configId ?? defaultConfigId(host.nodeName),
    cwd: process.cwd(),
    fs: nodeConfigFs,
    host,
    strictIncludes: o.strictIncludes,
    // keepalived seeds ${_RANDOM} from the time (or random_seed); the CLI owns the random source.
    random: (min, max) => min + Math.floor(Math.random() * (max - min + 1)),
  });
  const fmt = o.keepalivedMessages ? formatKeepalivedStyle : formatDiagnostic;
  const text = result.diagnostics.map((d) => `${fmt(d)}\n`).join('');
  if (!o.quiet && text) {
    if (o.messagesFile) appendFileSync(o.messagesFile, text);
    else process.stderr.write(text);
  }
  if (o.dump) process.stdout.write(`${JSON.stringify(configToJson(result.config), null, 2)}\n`);
  return result.exitCode;
}
