/**
 * The process port: run a program with argv (never a shell) and collect its
 * output. Adapters for `ip` and `ipvsadm` take an Exec so tests can record argv.
 */
import { execFile } from 'node:child_process';

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Exec = (argv: readonly string[]) => Promise<ExecResult>;

/**
 * Output kept per run. execFile's default (1 MiB) is less than `ip -j addr show` prints on a
 * director with thousands of addresses; past the limit the run counts as failed.
 */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** Runs argv[0] from PATH with a timeout; a missing program is exit code 127, as a shell would say. */
export function createExec(options: { readonly timeoutMs?: number } = {}): Exec {
  return (argv) =>
    new Promise((resolve) => {
      const [file, ...args] = argv;
      if (file === undefined) {
        resolve({ code: 127, stdout: '', stderr: 'empty argv' });
        return;
      }
      execFile(file, args, { timeout: options.timeoutMs ?? 10_000, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err === null) return resolve({ code: 0, stdout, stderr });
        const code = typeof err.code === 'number' ? err.code : err.code === 'ENOENT' ? 127 : 1;
        resolve({ code, stdout, stderr: stderr || err.message });
      });
    });
}
