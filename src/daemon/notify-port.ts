/**
 * VRRP notifications (src/script's plans, run through the ScriptRunner):
 * the state's own script, then the generic `notify` script with keepalived's
 * four extra arguments, then the FIFO line (reference §3.1, §3.3). Scripts are
 * fire-and-forget; shutdown waits for the STOP scripts, which have 1 s.
 */
import type { Config } from '../config/index.js';
import type { NotifyFifo as FifoConfig } from '../config/schema/global-defs.js';
import type { Exec } from '../lib/exec.js';
import {
  NotifyFifo,
  planGroupNotify,
  planInstanceNotify,
  planMasterRxLowerPri,
  planPriorityChange,
  type NotifyStep,
  type ScriptExit,
  type ScriptRunner,
} from '../script/index.js';
import type { Logger } from './logger.js';
import type { NotifyPort } from './vrrp-daemon.js';

export interface NotifyDeps {
  readonly log: Logger;
  readonly exec: Exec;
  readonly runScript: ScriptRunner;
}

async function openFifo(deps: NotifyDeps, f: FifoConfig): Promise<NotifyFifo | undefined> {
  if (f.path === undefined) return undefined;
  try {
    const script = f.script === undefined || f.script.disabled !== undefined ? undefined : f.script;
    return await NotifyFifo.open(
      { exec: deps.exec, runScript: deps.runScript },
      { path: f.path, uid: f.uid, gid: f.gid, ...(script === undefined ? {} : { script }) },
    );
  } catch (err) {
    deps.log.error({ err, path: f.path }, 'cannot open notify FIFO');
    return undefined;
  }
}

export async function createNotifyPort(config: Config, deps: NotifyDeps): Promise<NotifyPort> {
  const fifos = (await Promise.all([openFifo(deps, config.global.notifyFifo), openFifo(deps, config.global.vrrpNotifyFifo)])).filter(
    (f): f is NotifyFifo => f !== undefined,
  );
  const groups = new Map(config.vrrp.syncGroups.map((g) => [g.name, g.notify]));
  const pending = new Set<Promise<ScriptExit>>();
  const perform = (steps: readonly NotifyStep[]): void => {
    for (const step of steps) {
      if (step.type === 'fifo-line') {
        for (const f of fifos) f.write(step.line);
        continue;
      }
      deps.log.debug({ keyword: step.keyword, argv: step.script.argv }, 'running notify script');
      const exited = deps.runScript(step.script, step.options).exited;
      if (step.options.timeoutMs !== undefined) {
        pending.add(exited);
        void exited.finally(() => pending.delete(exited));
      }
    }
  };
  return {
    instance: async (p, state, priority) =>
      perform(planInstanceNotify({ name: p.name, state, priority, notify: p.notify, notifyDeleted: false })),
    group: async (name, state) => perform(planGroupNotify({ name, state, notify: groups.get(name) ?? {} })),
    priority: (p, state, priority) =>
      perform(planPriorityChange({ name: p.name, isMaster: state === 'MASTER', priority, notifyPriorityChanges: p.notifyPriorityChanges })),
    masterRxLowerPri: async (p, priority) => {
      const script = p.notify.masterRxLowerPri;
      perform(planMasterRxLowerPri({ name: p.name, priority, ...(script === undefined ? {} : { script }) }));
    },
    close: async () => {
      await Promise.all(pending);
      await Promise.all(fifos.map((f) => f.close()));
    },
  };
}
