/**
 * The in-memory ScriptRunner for tests: records every start and lets the test
 * decide when and how each script ends. Tests of the ScriptRunner itself run
 * real scripts (src/script/run-script.test.ts); this fake is for the trackers
 * and notify ports, whose tests need to choose the timing.
 */
import type { RunOptions, RunnableScript, ScriptExit, ScriptHandle, ScriptRunner } from '../script/script-runner.js';

export interface FakeRun {
  readonly script: RunnableScript;
  readonly options: RunOptions;
  readonly pid: number;
  /** Ends the run: exit code, or a signal, or a spawn failure. */
  finish(exit: Partial<ScriptExit>): void;
  readonly isFinished: boolean;
  /** kill() was called. */
  readonly isKilled: boolean;
}

export class FakeScriptRunner {
  readonly runs: FakeRun[] = [];
  #nextPid = 1000;

  /** The port to hand to the code under test. */
  readonly run: ScriptRunner = (script, options = {}) => {
    const pid = this.#nextPid++;
    let resolve: (exit: ScriptExit) => void = () => {};
    const exited = new Promise<ScriptExit>((r) => {
      resolve = r;
    });
    const state = { isFinished: false, isKilled: false };
    const run: FakeRun = {
      script,
      options,
      pid,
      finish: (exit) => {
        if (state.isFinished) return;
        state.isFinished = true;
        resolve({ code: null, signal: null, isTimedOut: false, ...exit });
      },
      get isFinished() {
        return state.isFinished;
      },
      get isKilled() {
        return state.isKilled;
      },
    };
    this.runs.push(run);
    const handle: ScriptHandle = {
      pid,
      exited,
      kill: () => {
        state.isKilled = true;
      },
    };
    return handle;
  };

  /** argv of every run so far, in start order. */
  get argvs(): string[][] {
    return this.runs.map((r) => [...r.script.argv]);
  }

  /** The most recent run that has not finished. */
  get current(): FakeRun | undefined {
    return [...this.runs].reverse().find((r) => !r.isFinished);
  }
}
