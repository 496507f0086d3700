/**
 * Our verdict on a corpus file, under the host facts keepalived's verdicts were taken on:
 * interfaces lo and eth0 only, no keepalived_script user; script files as on this machine.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { readConfig } from '../../src/config/index.js';
import type { Diagnostic, HostFacts } from '../../src/config/index.js';
import { nodeConfigFs } from '../../src/host/node-fs.js';
import { nodeHostFacts } from '../../src/host/node-host.js';

export function verdictHost(): HostFacts {
  const real = nodeHostFacts();
  return {
    ...real,
    interfaceExists: (n) => n === 'lo' || n === 'eth0',
    user: (n) => (n === 'keepalived_script' ? undefined : real.user(n)),
    nodeName: 'verdict-host',
  };
}

export interface OurVerdict {
  readonly exit: number;
  readonly nonHostLines: number[];
  readonly hostMessages: Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
}

/** keepalived was run on a copy of the file in a fresh directory; relative includes do not resolve there. */
export function ourVerdict(file: string, host: HostFacts = verdictHost()): OurVerdict {
  const abs = realpathSync(file);
  const r = readConfig({
    path: abs,
    configId: 'verdict-host',
    cwd: path.dirname(abs),
    fs: {
      ...nodeConfigFs,
      // only the file itself: the verdicts were taken with the file alone in a temp directory
      readFile: (p) => (p === abs ? nodeConfigFs.readFile(p) : undefined),
      stat: (p) => (p === abs ? nodeConfigFs.stat(p) : p.startsWith(`${path.dirname(abs)}/`) ? undefined : nodeConfigFs.stat(p)),
      readdir: (p) => (p === path.dirname(abs) ? [path.basename(abs)] : nodeConfigFs.readdir(p)),
    },
    host,
  });
  const lines = new Set<number>();
  const hostMessages: Diagnostic[] = [];
  for (const d of r.diagnostics) {
    if (d.host) hostMessages.push(d);
    else if (d.loc && d.kaClass !== 'OK') lines.add(d.loc.line);
  }
  return {
    exit: r.exitCode,
    nonHostLines: [...lines].sort((a, b) => a - b),
    hostMessages,
    diagnostics: r.diagnostics,
  };
}
