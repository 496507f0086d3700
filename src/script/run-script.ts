/**
 * The ScriptRunner adapter: child_process.spawn with argv, never a shell.
 * Mirrors keepalived's system_call_script(): the child gets its own process
 * group (so a timeout kills the script and everything it started), the
 * script's uid/gid, stdio on /dev/null and keepalived's environment unchanged.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { type Clock, systemClock } from '../lib/clock.js';
import { KaError } from '../lib/errors.js';
import {
  REKILL_INTERVAL_MS,
  type RunOptions,
  type RunnableScript,
  type ScriptExit,
  type ScriptHandle,
  type ScriptRunner,
  SHUTDOWN_KILL_GRACE_MS,
  VRRP_SCRIPT_KILL_GRACE_MS,
} from './script-runner.js';

export interface ScriptRunnerDeps {
  readonly clock: Clock;
}

function errnoOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function spawnFailure(script: RunnableScript, cause: unknown): ScriptExit {
  const errno = errnoOf(cause) ?? 'EINVAL';
  const error = new KaError('KA_ERR_SCRIPT_SPAWN', `cannot start script ${script.argv[0] ?? '(empty argv)'}: ${errno}`, { cause });
  return { code: null, signal: null, error, errno, isTimedOut: false };
}

/**
 * keepalived: set_script_env() only calls setgid()/setuid() when the script's
 * ids differ from ours; passing our own ids to spawn would also make libuv call
 * setgroups(), which an unprivileged daemon may not do.
 */
function identity(script: RunnableScript): Pick<SpawnOptions, 'uid' | 'gid'> {
  const out: { uid?: number; gid?: number } = {};
  if (typeof process.geteuid === 'function' && script.uid !== process.geteuid()) out.uid = script.uid;
  if (typeof process.getegid === 'function' && script.gid !== process.getegid()) out.gid = script.gid;
  return out;
}

/** Signals the whole process group of pid; a group that is already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has gone. EPERM cannot happen for our own children unless
    // they changed identity (setuid program); there is nothing more we can do.
  }
}

class RunningScript implements ScriptHandle {
  readonly pid: number | undefined;
  readonly exited: Promise<ScriptExit>;
  #resolve: (exit: ScriptExit) => void = () => {};
  #isDone = false;
  #isTimedOut = false;
  #hasSentTerm = false;
  #cancelTimers: Array<() => void> = [];
  readonly #clock: Clock;

  constructor(clock: Clock, script: RunnableScript, options: RunOptions) {
    this.#clock = clock;
    this.exited = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    const [file, ...args] = script.argv;
    let child: ChildProcess | undefined;
    if (file === undefined || file === '') {
      this.#finish(spawnFailure(script, Object.assign(new Error('empty argv'), { code: 'ENOENT' })));
    } else {
      try {
        child = spawn(file, args, {
          ...identity(script),
          detached: true, // keepalived: setpgid(0, 0); libuv uses setsid(), which also makes a new group
          stdio: 'ignore', // keepalived: set_std_fd(false) points 0/1/2 at /dev/null
          env: process.env, // keepalived passes environ unchanged
          shell: false,
        });
      } catch (err) {
        // libuv reports EPERM (setuid), ENOEXEC, E2BIG … synchronously.
        this.#finish(spawnFailure(script, err));
      }
    }
    this.pid = child?.pid;
    if (child === undefined) return;
    child.on('error', (err) => {
      // Only a failed spawn matters here; errors from kill() on a live child are ignored.
      if (this.pid === undefined) this.#finish(spawnFailure(script, err));
    });
    child.once('exit', (code, signal) => this.#onExit(code, signal));
    const timeoutMs = options.timeoutMs ?? 0;
    if (this.pid !== undefined && timeoutMs > 0) {
      this.#cancelTimers.push(this.#clock.setTimer(timeoutMs, () => this.#onTimeout(options)));
    }
  }

  kill(): void {
    if (this.#isDone || this.pid === undefined || this.#hasSentTerm) return;
    this.#term(SHUTDOWN_KILL_GRACE_MS);
  }

  #onTimeout(options: RunOptions): void {
    if (this.#isDone) return;
    this.#isTimedOut = true;
    if ((options.onTimeout ?? 'terminate') === 'kill') this.#forceKill();
    else this.#term(options.killGraceMs ?? VRRP_SCRIPT_KILL_GRACE_MS);
  }

  #term(graceMs: number): void {
    if (this.pid === undefined) return;
    this.#hasSentTerm = true;
    signalGroup(this.pid, 'SIGTERM');
    this.#cancelTimers.push(this.#clock.setTimer(graceMs, () => this.#forceKill()));
  }

  /** SIGKILL to the group, and again every 10 s while the child is still not reaped. */
  #forceKill(): void {
    if (this.#isDone || this.pid === undefined) return;
    signalGroup(this.pid, 'SIGKILL');
    this.#cancelTimers.push(this.#clock.setTimer(REKILL_INTERVAL_MS, () => this.#forceKill()));
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    // keepalived: vrrp_script_child_thread(): when the script died of our SIGTERM,
    // SIGKILL the rest of its process group so its children die too.
    if (this.#hasSentTerm && signal === 'SIGTERM' && this.pid !== undefined) signalGroup(this.pid, 'SIGKILL');
    this.#finish({ code, signal, isTimedOut: this.#isTimedOut });
  }

  #finish(exit: ScriptExit): void {
    if (this.#isDone) return;
    this.#isDone = true;
    for (const cancel of this.#cancelTimers) cancel();
    this.#cancelTimers = [];
    this.#resolve(exit);
  }
}

/**
 * Creates the real ScriptRunner. Differences from keepalived that remain
 * (see README.md): no PR_SET_PDEATHSIG, a new session rather than only a new
 * process group, and supplementary groups cleared rather than set to [gid].
 */
export function createScriptRunner(deps: ScriptRunnerDeps = { clock: systemClock }): ScriptRunner {
  return (script, options = {}) => new RunningScript(deps.clock, script, options);
}
