/**
 * The config reader: keepalived.conf text → typed `Config` + diagnostics.
 * Pure: files and host facts come in through ports (`ConfigFs`, `HostFacts`).
 */
import { buildConfig } from './build.js';
import { configTestExitCode } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { DiagnosticSink } from './engine.js';
import type { HostFacts } from './host.js';
import { preprocess } from './load.js';
import type { ConfigFs } from './load.js';
import type { Config } from './model.js';
import { parseLines } from './parse.js';
import { StmtList } from './stmt.js';

export type { Config } from './model.js';
export type { Diagnostic, SourceLoc, KaClass, Severity } from './diagnostics.js';
export { formatDiagnostic, formatKeepalivedStyle, configTestExitCode } from './diagnostics.js';
export type { ConfigFs } from './load.js';
export type { HostFacts } from './host.js';
export { pinnedHost } from './host.js';

export interface ReadOptions {
  /** `-f`: the main config path (may be a glob, as in keepalived). */
  readonly path: string;
  /** `-i`: matched by `@id` lines; keepalived's default is the node name up to the first dot. */
  readonly configId: string;
  readonly cwd: string;
  readonly fs: ConfigFs;
  readonly host: HostFacts;
  /** `-e`: every include is strict. */
  readonly strictIncludes?: boolean;
  readonly random?: (min: number, max: number) => number;
}

export interface ReadResult {
  readonly config: Config;
  readonly diagnostics: readonly Diagnostic[];
  /** keepalived -t's status: 0 clean, 2 missing parameter, 4 cannot run, 5 errors, 6 security/strict include. */
  readonly exitCode: number;
  readonly files: readonly string[];
  /** A strict include failed: keepalived stops before validating (and the daemon does not start). */
  readonly strictIncludeFailed: boolean;
}

export function readConfig(opts: ReadOptions): ReadResult {
  const loaded = preprocess(opts.fs, opts.path, {
    configId: opts.configId,
    cwd: opts.cwd,
    ...(opts.strictIncludes !== undefined ? { strictIncludes: opts.strictIncludes } : {}),
    ...(opts.random ? { random: opts.random } : {}),
  });
  const sink = new DiagnosticSink();
  for (const d of loaded.diagnostics) sink.add(d);
  const parsed = parseLines(loaded.lines);
  for (const d of parsed.diagnostics) sink.add(d);
  const stmts = parsed.stmts;
  if (loaded.strictIncludeFailed) {
    // keepalived: a strict include failure stops before any validation (exit 6).
    const built = buildConfig(new StmtList(loaded.lines, 0, new Map()), opts.host, new DiagnosticSink());
    return { config: built.config, diagnostics: sink.list, exitCode: 6, files: loaded.files, strictIncludeFailed: true };
  }
  const built = buildConfig(stmts, opts.host, sink);
  // keepalived -t exits 0 when the main config is missing; we exit 4, its file-not-found status (docs/compat.md #1).
  const exitCode = loaded.files.length === 0 ? 4 : built.aborted ? 2 : configTestExitCode(sink.list);
  return { config: built.config, diagnostics: sink.list, exitCode, files: loaded.files, strictIncludeFailed: false };
}

/** The default config id, as keepalived computes it: the node name up to the first '.'. */
export function defaultConfigId(nodeName: string): string {
  const dot = nodeName.indexOf('.');
  return dot >= 0 ? nodeName.slice(0, dot) : nodeName;
}
