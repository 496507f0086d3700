/**
 * Notifications for VRRP transitions, in keepalived's order (reference §3.1):
 * the state's own script (argv exactly as configured), then the generic
 * `notify` script with `INSTANCE|GROUP NAME STATE PRIORITY` appended, then the
 * FIFO line. Scripts are fire-and-forget, except that a STOP script gets 1 s
 * before its process group is killed and shutdown waits for it.
 */
import type { Config } from '../config/index.js';
import type { ScriptSpec } from '../config/schema/script.js';
import type { Logger } from './logger.js';
import { FifoWriter } from './notify-fifo.js';
import type { ScriptRunner } from './run-script.js';
import type { NotifyPort, NotifyState } from './vrrp-daemon.js';

const STOP_SCRIPT_MS = 1_000;

type StateScripts = { readonly master?: ScriptSpec; readonly backup?: ScriptSpec; readonly fault?: ScriptSpec; readonly stop?: ScriptSpec; readonly generic?: ScriptSpec };

/** The argv lists one transition runs, in order (pure; tested with tables). */
export function notifyArgvs(scripts: StateScripts, kind: 'INSTANCE' | 'GROUP', name: string, state: NotifyState, priority: number): Array<{ spec: ScriptSpec; argv: string[] }> {
  const own = { MASTER: scripts.master, BACKUP: scripts.backup, FAULT: scripts.fault, STOP: scripts.stop }[state];
  const out: Array<{ spec: ScriptSpec; argv: string[] }> = [];
  if (own !== undefined && own.disabled === undefined) out.push({ spec: own, argv: own.argv });
  const g = scripts.generic;
  if (g !== undefined && g.disabled === undefined) out.push({ spec: g, argv: [...g.argv, kind, name, state, String(kind === 'GROUP' ? 0 : priority)] });
  return out;
}

/** keepalived's FIFO line: `INSTANCE "VI_1" MASTER 150`. */
export const fifoLine = (kind: 'INSTANCE' | 'GROUP', name: string, what: string, priority: number): string => `${kind} "${name}" ${what} ${priority}`;

export function createNotifyPort(config: Config, log: Logger, runScript: ScriptRunner): NotifyPort {
  const fifos: FifoWriter[] = [];
  for (const f of [config.global.notifyFifo, config.global.vrrpNotifyFifo]) {
    try {
      const w = FifoWriter.open(f, runScript);
      if (w !== undefined) fifos.push(w);
    } catch (err) {
      log.error({ err, path: f.path }, 'cannot open notify FIFO');
    }
  }
  const groups = new Map(config.vrrp.syncGroups.map((g) => [g.name, g.notify]));
  const pending = new Set<Promise<unknown>>();
  const run = (runs: ReturnType<typeof notifyArgvs>, state: NotifyState): void => {
    for (const { spec, argv } of runs) {
      log.debug({ argv }, 'running notify script');
      const p = runScript(spec, state === 'STOP' ? { argv, timeoutMs: STOP_SCRIPT_MS, killAfterMs: 0 } : { argv });
      if (state === 'STOP') {
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    }
  };
  const fifo = (line: string): void => {
    for (const w of fifos) w.write(line);
  };
  return {
    instance: async (p, state, priority) => {
      run(notifyArgvs(p.notify, 'INSTANCE', p.name, state, priority), state);
      fifo(fifoLine('INSTANCE', p.name, state, priority));
    },
    group: async (name, state) => {
      run(notifyArgvs(groups.get(name) ?? {}, 'GROUP', name, state, 0), state);
      fifo(fifoLine('GROUP', name, state, 0));
    },
    priority: (p, state, priority) => fifo(fifoLine('INSTANCE', p.name, `${state}_PRIORITY`, priority)),
    masterRxLowerPri: async (p, priority) => {
      const s = p.notify.masterRxLowerPri;
      if (s !== undefined && s.disabled === undefined) run([{ spec: s, argv: s.argv }], 'MASTER');
      fifo(fifoLine('INSTANCE', p.name, 'MASTER_RX_LOWER_PRI', priority));
    },
    close: async () => {
      await Promise.all(pending);
      for (const w of fifos) w.close();
    },
  };
}
