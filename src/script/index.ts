/**
 * Running scripts the keepalived way: the ScriptRunner port and its adapter,
 * the notification plan (pure) and the notify FIFO adapter.
 */
export type { RunOptions, RunnableScript, ScriptExit, ScriptHandle, ScriptRunner, TimeoutAction } from './script-runner.js';
export { REKILL_INTERVAL_MS, SHUTDOWN_KILL_GRACE_MS, STOP_SCRIPT_TIMEOUT_MS, VRRP_SCRIPT_KILL_GRACE_MS } from './script-runner.js';
export { createScriptRunner, type ScriptRunnerDeps } from './run-script.js';
export {
  type FifoEvent,
  fifoLine,
  type GroupNotifyInput,
  type GroupNotifyState,
  type InstanceNotifyInput,
  type NotifyKeyword,
  type NotifyState,
  type NotifyStep,
  planGroupNotify,
  planInstanceNotify,
  planMasterRxLowerPri,
  planPriorityChange,
} from './notify-plan.js';
export { NotifyFifo, type NotifyFifoConfig, type NotifyFifoDeps } from './notify-fifo.js';
