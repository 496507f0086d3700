/**
 * Diagnostics of the config reader: compiler-style, with keepalived 2.2.7's
 * error classes so that `-t` exits with the same statuses.
 */

import type { DiagnosticCode } from './codes.js';

/** Where a token came from. `includedFrom` chains through `include` lines. */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly includedFrom?: SourceLoc;
}

/**
 * keepalived's config_err_t (lib/parser.h), in its order. keepalived keeps the
 * numerically *largest* class seen (lib/parser.c: vreport_config_error), so the
 * least severe error decides the `-t` status, except that SECURITY_ERROR, the
 * largest, always wins.
 */
export const kaClasses = [
  'OK',
  'FILE_NOT_FOUND',
  'BAD_IF',
  'FATAL',
  'MULTIPLE_FILES',
  'UNKNOWN_KEYWORD',
  'UNEXPECTED_BOB',
  'MISSING_BOB',
  'UNEXPECTED_EOB',
  'MISSING_EOB',
  'UNMATCHED_QUOTE',
  'MISSING_PARAMETER',
  'INVALID_NUMBER',
  'GENERAL_ERROR',
  'WARNING',
  'DEPRECATED',
  'SECURITY_ERROR',
] as const;
export type KaClass = (typeof kaClasses)[number];

/** 'log' is what keepalived only logs: it does not count for `-t`. */
export type Severity = 'fatal' | 'error' | 'warning' | 'log';

export interface Diagnostic {
  readonly severity: Severity;
  /** keepalived's class; 'OK' for log-only messages. */
  readonly kaClass: KaClass;
  /** Stable code (codes.ts, docs/errors.md). */
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Absent for whole-config validation messages (keepalived prints no line either). */
  readonly loc?: SourceLoc;
  /** True when the message only reflects this host (interfaces, users, script files, include files). */
  readonly host?: boolean;
  /** A did-you-mean or other help, printed on its own `note:` line. */
  readonly hint?: string;
}

export function classRank(c: KaClass): number {
  return kaClasses.indexOf(c);
}

/** keepalived: config_test_exit() — 0 ok, 4 cannot run, 5 errors but would run, 6 script security. */
export function configTestExitCode(diags: readonly Diagnostic[]): number {
  let worst: KaClass = 'OK';
  for (const d of diags) if (classRank(d.kaClass) > classRank(worst)) worst = d.kaClass;
  switch (worst) {
    case 'OK':
      return 0;
    case 'FILE_NOT_FOUND':
    case 'BAD_IF':
    case 'FATAL':
      return 4;
    case 'SECURITY_ERROR':
      return 6;
    default:
      return 5;
  }
}

export function severityOf(c: KaClass): Severity {
  switch (c) {
    case 'OK':
      return 'log';
    case 'FILE_NOT_FOUND':
    case 'BAD_IF':
    case 'FATAL':
    case 'SECURITY_ERROR':
      return 'fatal';
    case 'WARNING':
    case 'DEPRECATED':
      return 'warning';
    default:
      return 'error';
  }
}

export function formatLoc(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** `file:line:col: severity CODE: message`, then the include chain and a hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const sev = d.severity === 'log' ? 'note' : d.severity;
  const head = d.loc ? `${formatLoc(d.loc)}: ` : '';
  const lines = [`${head}${sev} ${d.code}: ${d.message}`];
  for (let inc = d.loc?.includedFrom; inc; inc = inc.includedFrom) {
    lines.push(`  included from ${formatLoc(inc)}`);
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** keepalived's own `-t` line, `(FILE: Line N) text`, for side-by-side comparison. */
export function formatKeepalivedStyle(d: Diagnostic): string {
  return d.loc ? `(${d.loc.file}: Line ${d.loc.line}) ${d.message}` : d.message;
}
