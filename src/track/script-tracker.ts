/**
 * The vrrp_script driver: runs one script every `interval` on the Clock
 * through the ScriptRunner, feeds each exit to the pure policy
 * (script-hysteresis.ts) and reports status flips. keepalived:
 * vrrp_scheduler.c vrrp_script_thread() / vrrp_script_child_thread().
 */
import type { VrrpScript } from '../config/schema/vrrp-track.js';
import type { Clock } from '../lib/clock.js';
import { type RunnableScript, type ScriptExit, type ScriptHandle, type ScriptRunner, VRRP_SCRIPT_KILL_GRACE_MS } from '../script/index.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import {
  classifyExit,
  initialScriptState,
  recordOutcome,
  type ScriptCheckState,
  type ScriptOutcome,
  type ScriptPolicy,
  scriptStatus,
} from './script-hysteresis.js';

export interface ScriptTrackerOptions extends ScriptPolicy {
  readonly name: string;
  readonly script: RunnableScript;
  readonly intervalMs: number;
  /** 0: the interval is the time limit (keepalived: `timeout ? timeout : interval`). */
  readonly timeoutMs: number;
  /** State carried over a reload (carryOverOnReload()); default: initialScriptState(). */
  readonly initial?: ScriptCheckState;
}

/** What the driver saw, for logging; the status callback only gets flips. */
export type ScriptTrackerEvent =
  | {
      readonly type: 'result';
      readonly name: string;
      readonly exit: ScriptExit;
      readonly outcome: ScriptOutcome;
      readonly status: TrackerStatus;
      readonly isStatusChange: boolean;
      readonly isCodeChanged: boolean;
    }
  | { readonly type: 'skipped'; readonly name: string; readonly reason: 'already running' | 'being timed out' };

export interface ScriptTrackerDeps {
  readonly clock: Clock;
  readonly runScript: ScriptRunner;
  /** Called when the script's status flips (first result included). */
  readonly onChange: (scriptName: string, status: TrackerStatus) => void;
  readonly onEvent?: (event: ScriptTrackerEvent) => void;
}

/**
 * The options keepalived 2.2.7 really runs a vrrp_script with. keepalived:
 * alloc_track_script() sets `init_state = SCRIPT_INIT_STATE_INIT` whenever an
 * instance or sync group tracks the script, which overwrites init_fail, and
 * vrrp_complete_init() drops scripts nothing tracks; so init_fail never takes effect.
 */
export function scriptTrackerOptions(vs: VrrpScript): ScriptTrackerOptions {
  return {
    name: vs.name,
    script: { argv: vs.script.argv, uid: vs.script.uid, gid: vs.script.gid },
    intervalMs: vs.intervalMs,
    timeoutMs: vs.timeoutMs,
    rise: vs.rise,
    fall: vs.fall,
    initFail: false,
  };
}

export class ScriptTracker {
  readonly #deps: ScriptTrackerDeps;
  readonly #options: ScriptTrackerOptions;
  #state: ScriptCheckState;
  #running: { readonly handle: ScriptHandle; isTimingOut: boolean } | undefined;
  #cancelTick: (() => void) | undefined;
  #cancelTimeoutMark: (() => void) | undefined;
  #isStopped = false;

  constructor(deps: ScriptTrackerDeps, options: ScriptTrackerOptions) {
    if (options.rise < 1 || options.fall < 1) throw new RangeError(`vrrp_script ${options.name}: rise and fall must be ≥ 1`);
    if (options.intervalMs <= 0) throw new RangeError(`vrrp_script ${options.name}: interval must be > 0`);
    this.#deps = deps;
    this.#options = options;
    this.#state = options.initial ?? initialScriptState(options);
  }

  get status(): TrackerStatus {
    return scriptStatus(this.#state, this.#options);
  }

  /** The policy state, to carry over a reload. */
  get state(): ScriptCheckState {
    return this.#state;
  }

  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  /** keepalived: vrrp_init_script() queues the first run as an event: at once, not after one interval. */
  start(): void {
    if (this.#isStopped || this.#cancelTick !== undefined) return;
    this.#cancelTick = this.#deps.clock.setTimer(0, () => this.#tick());
  }

  /** Stops the schedule and kills a running copy; its result is ignored. */
  stop(): void {
    this.#isStopped = true;
    this.#cancelTick?.();
    this.#cancelTimeoutMark?.();
    this.#running?.handle.kill();
    this.#running = undefined;
  }

  #tick(): void {
    if (this.#isStopped) return;
    // keepalived re-arms the timer before running, so runs start every interval
    // however long each takes.
    this.#cancelTick = this.#deps.clock.setTimer(this.#options.intervalMs, () => this.#tick());
    if (this.#running !== undefined) {
      // keepalived 2.2.7 logs "Track script NAME is already running, expect idle - skipping run"
      // and then runs a second copy anyway (the `return` older releases had was lost);
      // we really skip, so two copies of one script never run at once.
      const reason = this.#running.isTimingOut ? 'being timed out' : 'already running';
      this.#deps.onEvent?.({ type: 'skipped', name: this.#options.name, reason });
      return;
    }
    this.#run();
  }

  #run(): void {
    const timeoutMs = this.#options.timeoutMs > 0 ? this.#options.timeoutMs : this.#options.intervalMs;
    const handle = this.#deps.runScript(this.#options.script, {
      timeoutMs,
      onTimeout: 'terminate',
      killGraceMs: VRRP_SCRIPT_KILL_GRACE_MS,
    });
    const running = { handle, isTimingOut: false };
    this.#running = running;
    this.#cancelTimeoutMark = this.#deps.clock.setTimer(timeoutMs, () => {
      running.isTimingOut = true;
    });
    void handle.exited.then((exit) => {
      if (this.#running !== running) return; // stopped meanwhile
      this.#running = undefined;
      this.#cancelTimeoutMark?.();
      this.#onExit(exit);
    });
  }

  #onExit(exit: ScriptExit): void {
    const outcome = classifyExit(exit);
    const step = recordOutcome(this.#state, this.#options, outcome);
    this.#state = step.next;
    const status = scriptStatus(this.#state, this.#options);
    this.#deps.onEvent?.({
      type: 'result',
      name: this.#options.name,
      exit,
      outcome,
      status,
      isStatusChange: step.change !== undefined,
      isCodeChanged: step.isCodeChanged,
    });
    if (step.change !== undefined) this.#deps.onChange(this.#options.name, step.change);
  }
}
