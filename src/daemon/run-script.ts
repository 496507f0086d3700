/**
 * Runs a configured script the keepalived way (reference §3.2): argv exec'd
 * directly (never a shell), as the script's uid/gid, in a new process group,
 * stdin/stdout/stderr on /dev/null, our environment. A timeout sends SIGTERM
 * to the group and SIGKILL `killAfterMs` later. Never throws: a script that
 * cannot start is a failed result.
 */
import { spawn } from 'node:child_process';
import type { ScriptSpec } from '../config/schema/script.js';

export interface ScriptResult {
  /** Exit status; null when killed by a signal or not started. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly isTimedOut: boolean;
  readonly error?: string;
}

export interface RunOptions {
  readonly argv?: readonly string[];
  readonly timeoutMs?: number;
  readonly killAfterMs?: number;
}

export type ScriptRunner = (spec: ScriptSpec, options?: RunOptions) => Promise<ScriptResult>;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export const runScript: ScriptRunner = (spec, options = {}) =>
  new Promise((resolve) => {
    const [file, ...args] = options.argv ?? spec.argv;
    if (file === undefined) {
      resolve({ code: null, signal: null, isTimedOut: false, error: 'empty command' });
      return;
    }
    let isTimedOut = false;
    let isDone = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (r: ScriptResult): void => {
      if (isDone) return;
      isDone = true;
      for (const t of timers) clearTimeout(t);
      resolve(r);
    };
    const child = spawn(file, args, {
      uid: spec.uid,
      gid: spec.gid,
      detached: true,
      stdio: 'ignore',
      env: process.env,
      shell: false,
    });
    child.on('error', (err) => finish({ code: null, signal: null, isTimedOut: false, error: err.message }));
    child.on('exit', (code, signal) => finish({ code, signal, isTimedOut }));
    child.unref();
    if (options.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          isTimedOut = true;
          killGroup(child.pid, 'SIGTERM');
          timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.killAfterMs ?? 2_000));
        }, options.timeoutMs),
      );
    }
  });
