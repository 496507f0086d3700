/**
 * The script port: start one program with argv (never a shell) the way
 * keepalived's system_call_script() does, and learn how it ended. Pure types
 * only, so the core and tests can import them; run-script.ts is the adapter,
 * src/testing/fake-script-runner.ts the in-memory fake.
 */
import type { KaError } from '../lib/errors.js';

/** What a runner needs from a ScriptSpec (src/config/schema/script.ts). */
export interface RunnableScript {
  /** argv[0] is the program (already resolved by the config reader); the rest are its arguments. */
  readonly argv: readonly string[];
  readonly uid: number;
  readonly gid: number;
}

/**
 * What happens when a time limit expires. keepalived has two:
 * vrrp_script_child_thread() sends SIGTERM to the process group and SIGKILL
 * 2 s later ('terminate'); child_killed_thread() (STOP scripts) sends SIGKILL
 * to the group at once ('kill').
 */
export type TimeoutAction = 'terminate' | 'kill';

export interface RunOptions {
  /** Time limit in ms; undefined or 0: none (state notify scripts, FIFO scripts). */
  readonly timeoutMs?: number;
  /** Default 'terminate'. */
  readonly onTimeout?: TimeoutAction;
  /** 'terminate': ms between SIGTERM and SIGKILL. Default VRRP_SCRIPT_KILL_GRACE_MS. */
  readonly killGraceMs?: number;
}

/** How a script ended. Exactly one of: exited (code), killed (signal), never started (error). */
export interface ScriptExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** The program never ran (spawn failed); code KA_ERR_SCRIPT_SPAWN, cause = the errno error. */
  readonly error?: KaError;
  /** The errno name of a spawn failure ('ENOENT', 'EACCES', 'EPERM', 'EAGAIN', …). */
  readonly errno?: string;
  /** The time limit expired before the script exited (we signalled its process group). */
  readonly isTimedOut: boolean;
}

export interface ScriptHandle {
  /** undefined when the spawn failed. */
  readonly pid: number | undefined;
  /** Resolves once, when the script has exited or failed to start. Never rejects. */
  readonly exited: Promise<ScriptExit>;
  /**
   * keepalived: script_killall() at shutdown: SIGTERM to the script's process
   * group, SIGKILL SHUTDOWN_KILL_GRACE_MS later if it is still there. Idempotent.
   */
  kill(): void;
}

export type ScriptRunner = (script: RunnableScript, options?: RunOptions) => ScriptHandle;

/** keepalived: vrrp_script_child_thread(): SIGTERM, then SIGKILL 2 s later. */
export const VRRP_SCRIPT_KILL_GRACE_MS = 2_000;
/** keepalived: send_instance_notifies(): STOP scripts get TIMER_HZ (1 s), then SIGKILL to the group. */
export const STOP_SCRIPT_TIMEOUT_MS = 1_000;
/** keepalived: script_killall() reschedules children to be SIGKILLed after TIMER_HZ (1 s). */
export const SHUTDOWN_KILL_GRACE_MS = 1_000;
/** keepalived: vrrp_script_child_thread(): a child that survives SIGKILL is re-killed every 10 s. */
export const REKILL_INTERVAL_MS = 10_000;
