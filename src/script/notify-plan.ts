/**
 * What one VRRP notification does, as data (pure). keepalived:
 * vrrp_notify.c send_instance_notifies(), send_group_notifies(),
 * send_event_notify(), send_instance_priority_notifies() and notify_fifo().
 * Order per event: the state's own script (argv exactly as configured), then
 * the generic `notify` script with INSTANCE|GROUP NAME STATE PRIORITY
 * appended, then one FIFO line. The caller writes the FIFO line to every VRRP
 * FIFO (notify_fifo and vrrp_notify_fifo both get it) and runs the scripts
 * fire-and-forget.
 */
import type { ScriptSpec } from '../config/schema/script.js';
import type { NotifyName } from '../config/schema/vrrp-instance.js';
import type { RunOptions, RunnableScript } from './script-runner.js';
import { STOP_SCRIPT_TIMEOUT_MS } from './script-runner.js';

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED';
export type GroupNotifyState = Exclude<NotifyState, 'DELETED'>;

/** The words keepalived writes after the quoted name in a FIFO line. */
export type FifoEvent = NotifyState | 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY';

export type NotifyKeyword =
  | 'notify_master'
  | 'notify_backup'
  | 'notify_fault'
  | 'notify_stop'
  | 'notify_deleted'
  | 'notify'
  | 'notify_master_rx_lower_pri';

export type NotifyStep =
  | {
      readonly type: 'run-script';
      /** The config keyword the script came from, for logs. */
      readonly keyword: NotifyKeyword;
      readonly script: RunnableScript;
      readonly options: RunOptions;
    }
  | { readonly type: 'fifo-line'; readonly line: string };

export interface InstanceNotifyInput {
  readonly name: string;
  readonly state: NotifyState;
  /** The instance's effective priority. */
  readonly priority: number;
  readonly notify: Readonly<Partial<Record<NotifyName, ScriptSpec>>>;
  /** The `notify_deleted` keyword was given (with or without a script). */
  readonly notifyDeleted: boolean;
  /** Notifications were sent for this instance before (keepalived: vrrp->notifies_sent). */
  readonly hasSentNotifies?: boolean;
  /** State of the instance's sync group, when it has one. */
  readonly syncGroupState?: string;
}

export interface GroupNotifyInput {
  readonly name: string;
  readonly state: GroupNotifyState;
  readonly notify: {
    readonly master?: ScriptSpec;
    readonly backup?: ScriptSpec;
    readonly fault?: ScriptSpec;
    readonly stop?: ScriptSpec;
    readonly generic?: ScriptSpec;
  };
}

const STOP_OPTIONS: RunOptions = { timeoutMs: STOP_SCRIPT_TIMEOUT_MS, onTimeout: 'kill' };

/** keepalived: notify_fifo(): `snprintf("%s \"%s\" %s %d\n", type, name, state, priority)`. */
export function fifoLine(type: 'INSTANCE' | 'GROUP', name: string, event: FifoEvent, priority: number): string {
  return `${type} "${name}" ${event} ${priority}\n`;
}

/** A spec the script-security check disabled was freed by keepalived (check_notify_script_secure()); it never runs. */
function runnable(spec: ScriptSpec | undefined): spec is ScriptSpec {
  return spec !== undefined && spec.disabled === undefined;
}

function runStep(keyword: NotifyKeyword, spec: ScriptSpec, argv: readonly string[], options: RunOptions): NotifyStep {
  return { type: 'run-script', keyword, script: { argv, uid: spec.uid, gid: spec.gid }, options };
}

/**
 * keepalived: notify_script_exec(): the generic script gets four more words;
 * a STOP run of it is time-limited like the STOP script itself.
 */
function genericStep(type: 'INSTANCE' | 'GROUP', spec: ScriptSpec, name: string, state: NotifyState, priority: number): NotifyStep {
  const argv = [...spec.argv, type, name, state, String(priority)];
  return runStep('notify', spec, argv, state === 'STOP' ? STOP_OPTIONS : {});
}

const instanceKeyword = {
  MASTER: ['master', 'notify_master'],
  BACKUP: ['backup', 'notify_backup'],
  FAULT: ['fault', 'notify_fault'],
  STOP: ['stop', 'notify_stop'],
  DELETED: ['deleted', 'notify_deleted'],
} as const satisfies Record<NotifyState, readonly [NotifyName, NotifyKeyword]>;

/** An instance entered `state`: its notify_<state> script, the generic script, the FIFO line. */
export function planInstanceNotify(input: InstanceNotifyInput): NotifyStep[] {
  // keepalived: send_instance_notifies(): a member that the sync group already
  // put in this state, and that has notified before, stays quiet.
  if (input.hasSentNotifies === true && input.syncGroupState !== undefined && input.syncGroupState === input.state) return [];
  const steps: NotifyStep[] = [];
  // The state's own script is chosen before the DELETED → FAULT rewrite below,
  // so a deleted instance without notify_deleted runs no notify_fault script.
  const [field, keyword] = instanceKeyword[input.state];
  const own = input.notify[field];
  if (runnable(own)) steps.push(runStep(keyword, own, own.argv, input.state === 'STOP' ? STOP_OPTIONS : {}));
  // keepalived: "The old way to notify an instance being deleted was to send FAULT".
  const reported: NotifyState = input.state === 'DELETED' && !input.notifyDeleted ? 'FAULT' : input.state;
  const generic = input.notify.generic;
  if (runnable(generic)) steps.push(genericStep('INSTANCE', generic, input.name, reported, input.priority));
  steps.push({ type: 'fifo-line', line: fifoLine('INSTANCE', input.name, reported, input.priority) });
  return steps;
}

const groupKeyword = {
  MASTER: ['master', 'notify_master'],
  BACKUP: ['backup', 'notify_backup'],
  FAULT: ['fault', 'notify_fault'],
  STOP: ['stop', 'notify_stop'],
} as const satisfies Record<GroupNotifyState, readonly [keyof GroupNotifyInput['notify'], NotifyKeyword]>;

/**
 * A sync group entered `state`. keepalived: send_group_notifies(): the group's
 * own scripts run through notify_exec(), so even notify_stop has no time limit
 * here; the generic script's STOP run is limited (notify_script_exec()).
 * The priority is always 0.
 */
export function planGroupNotify(input: GroupNotifyInput): NotifyStep[] {
  const steps: NotifyStep[] = [];
  const [field, keyword] = groupKeyword[input.state];
  const own = input.notify[field];
  if (runnable(own)) steps.push(runStep(keyword, own, own.argv, {}));
  const generic = input.notify.generic;
  if (runnable(generic)) steps.push(genericStep('GROUP', generic, input.name, input.state, 0));
  steps.push({ type: 'fifo-line', line: fifoLine('GROUP', input.name, input.state, 0) });
  return steps;
}

/**
 * A MASTER received an advert with a lower priority. keepalived:
 * send_event_notify(): notify_master_rx_lower_pri with no extra arguments (the
 * generic script does not run), then the FIFO line.
 */
export function planMasterRxLowerPri(input: { readonly name: string; readonly priority: number; readonly script?: ScriptSpec }): NotifyStep[] {
  const steps: NotifyStep[] = [];
  if (runnable(input.script)) steps.push(runStep('notify_master_rx_lower_pri', input.script, input.script.argv, {}));
  steps.push({ type: 'fifo-line', line: fifoLine('INSTANCE', input.name, 'MASTER_RX_LOWER_PRI', input.priority) });
  return steps;
}

/**
 * The effective priority changed. keepalived: vrrp_set_effective_priority() →
 * send_instance_priority_notifies(): a FIFO line only, and only with
 * notify_priority_changes (instance, sync group or global, resolved by the
 * caller). MASTER_PRIORITY in MASTER, BACKUP_PRIORITY in every other state (INIT too).
 */
export function planPriorityChange(input: {
  readonly name: string;
  readonly isMaster: boolean;
  readonly priority: number;
  readonly notifyPriorityChanges: boolean;
}): NotifyStep[] {
  if (!input.notifyPriorityChanges) return [];
  const event: FifoEvent = input.isMaster ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY';
  return [{ type: 'fifo-line', line: fifoLine('INSTANCE', input.name, event, input.priority) }];
}
