/** `-t` / `--dump-conf`: read the config, print diagnostics or the model, return keepalived's status. */
import { appendFileSync } from 'node:fs';
import { formatDiagnostic, formatKeepalivedStyle } from '../config/index.js';
import { configToJson } from '../config/json.js';
import { readHostConfig } from '../host/read-host-config.js';
import { tuneHeapForOneShotRun } from './v8-flags.js';

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
  tuneHeapForOneShotRun();
  const result = readHostConfig({ path: o.path, configId: o.configId, strictIncludes: o.strictIncludes });
  const fmt = o.keepalivedMessages ? formatKeepalivedStyle : formatDiagnostic;
  const text = result.diagnostics.map((d) => `${fmt(d)}\n`).join('');
  if (!o.quiet && text) {
    if (o.messagesFile) appendFileSync(o.messagesFile, text);
    else process.stderr.write(text);
  }
  if (o.dump) process.stdout.write(`${JSON.stringify(configToJson(result.config), null, 2)}\n`);
  return result.exitCode;
}
