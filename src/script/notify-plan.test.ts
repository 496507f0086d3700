import { describe, expect, it } from 'vitest';
import type { ScriptSpec } from '../config/schema/script.js';
import {
  fifoLine,
  type InstanceNotifyInput,
  type NotifyStep,
  planGroupNotify,
  planInstanceNotify,
  planMasterRxLowerPri,
  planPriorityChange,
} from './notify-plan.js';

const loc = { file: 'keepalived.conf', line: 1, col: 1 };
function spec(cmd: string, extra: Partial<ScriptSpec> = {}): ScriptSpec {
  return { argv: cmd.split(' '), uid: 0, gid: 0, kind: 'notify', subsystem: 'vrrp', loc, ...extra };
}

/** Steps in a compact form: argv joined for scripts, the line for the FIFO. */
function brief(steps: readonly NotifyStep[]): string[] {
  return steps.map((s) => (s.type === 'fifo-line' ? `fifo ${JSON.stringify(s.line)}` : `${s.keyword}: ${s.script.argv.join('|')}${s.options.timeoutMs ? ` (${s.options.timeoutMs}ms ${s.options.onTimeout})` : ''}`));
}

const all = {
  master: spec('/m.sh master-arg1'),
  backup: spec('/b.sh'),
  fault: spec('/f.sh'),
  stop: spec('/s.sh'),
  deleted: spec('/d.sh'),
  generic: spec('/n.sh x'),
  masterRxLowerPri: spec('/rx.sh'),
};

function instance(over: Partial<InstanceNotifyInput>): InstanceNotifyInput {
  return { name: 'VI_1', state: 'MASTER', priority: 150, notify: all, notifyDeleted: false, ...over };
}

describe('planInstanceNotify', () => {
  it.each<[string, Partial<InstanceNotifyInput>, string[]]>([
    [
      'MASTER: own script, generic with 4 args, FIFO line',
      {},
      ['notify_master: /m.sh|master-arg1', 'notify: /n.sh|x|INSTANCE|VI_1|MASTER|150', 'fifo "INSTANCE \\"VI_1\\" MASTER 150\\n"'],
    ],
    ['BACKUP', { state: 'BACKUP', priority: 100 }, ['notify_backup: /b.sh', 'notify: /n.sh|x|INSTANCE|VI_1|BACKUP|100', 'fifo "INSTANCE \\"VI_1\\" BACKUP 100\\n"']],
    ['FAULT', { state: 'FAULT', priority: 90 }, ['notify_fault: /f.sh', 'notify: /n.sh|x|INSTANCE|VI_1|FAULT|90', 'fifo "INSTANCE \\"VI_1\\" FAULT 90\\n"']],
    [
      'STOP: both scripts get 1 s, then SIGKILL',
      { state: 'STOP', priority: 165 },
      ['notify_stop: /s.sh (1000ms kill)', 'notify: /n.sh|x|INSTANCE|VI_1|STOP|165 (1000ms kill)', 'fifo "INSTANCE \\"VI_1\\" STOP 165\\n"'],
    ],
    [
      'DELETED with notify_deleted',
      { state: 'DELETED', notifyDeleted: true },
      ['notify_deleted: /d.sh', 'notify: /n.sh|x|INSTANCE|VI_1|DELETED|150', 'fifo "INSTANCE \\"VI_1\\" DELETED 150\\n"'],
    ],
    [
      'keepalived compat: DELETED without notify_deleted is reported as FAULT, and notify_fault does not run',
      { state: 'DELETED', notify: { fault: all.fault, generic: all.generic } },
      ['notify: /n.sh|x|INSTANCE|VI_1|FAULT|150', 'fifo "INSTANCE \\"VI_1\\" FAULT 150\\n"'],
    ],
    ['no scripts: FIFO line only', { notify: {} }, ['fifo "INSTANCE \\"VI_1\\" MASTER 150\\n"']],
    ['generic only', { notify: { generic: all.generic }, state: 'BACKUP', priority: 1 }, ['notify: /n.sh|x|INSTANCE|VI_1|BACKUP|1', 'fifo "INSTANCE \\"VI_1\\" BACKUP 1\\n"']],
    [
      'a script disabled by script security never runs',
      { notify: { master: spec('/m.sh', { disabled: 'unsafe permissions' }), generic: spec('/n.sh', { disabled: 'not found' }) } },
      ['fifo "INSTANCE \\"VI_1\\" MASTER 150\\n"'],
    ],
    [
      'keepalived compat: a sync group member already in the group state that notified before stays quiet',
      { hasSentNotifies: true, syncGroupState: 'MASTER' },
      [],
    ],
    [
      'a sync group member notifies the first time even when the group is already in that state',
      { hasSentNotifies: false, syncGroupState: 'MASTER', notify: {} },
      ['fifo "INSTANCE \\"VI_1\\" MASTER 150\\n"'],
    ],
  ])('%s', (_name, over, expected) => {
    expect(brief(planInstanceNotify(instance(over)))).toEqual(expected);
  });

  it('keeps argv exactly as configured (quoted words stay one argument) and the script identity', () => {
    const s: ScriptSpec = { ...spec('/x.sh'), argv: ['/x.sh', 'master-arg1', 'quoted arg'], uid: 1001, gid: 1002 };
    const [own] = planInstanceNotify(instance({ notify: { master: s } }));
    expect(own).toEqual({ type: 'run-script', keyword: 'notify_master', script: { argv: ['/x.sh', 'master-arg1', 'quoted arg'], uid: 1001, gid: 1002 }, options: {} });
  });

  it('does not change the configured argv when appending the generic arguments', () => {
    const g = spec('/n.sh');
    planInstanceNotify(instance({ notify: { generic: g } }));
    expect(g.argv).toEqual(['/n.sh']);
  });
});

describe('planGroupNotify', () => {
  const notify = { master: all.master, backup: all.backup, fault: all.fault, stop: all.stop, generic: all.generic };
  it.each<[string, 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP', string[]]>([
    ['MASTER', 'MASTER', ['notify_master: /m.sh|master-arg1', 'notify: /n.sh|x|GROUP|G1|MASTER|0', 'fifo "GROUP \\"G1\\" MASTER 0\\n"']],
    ['FAULT', 'FAULT', ['notify_fault: /f.sh', 'notify: /n.sh|x|GROUP|G1|FAULT|0', 'fifo "GROUP \\"G1\\" FAULT 0\\n"']],
    [
      'keepalived compat: STOP — the group notify_stop has no time limit, the generic STOP run has 1 s',
      'STOP',
      ['notify_stop: /s.sh', 'notify: /n.sh|x|GROUP|G1|STOP|0 (1000ms kill)', 'fifo "GROUP \\"G1\\" STOP 0\\n"'],
    ],
  ])('%s', (_name, state, expected) => {
    expect(brief(planGroupNotify({ name: 'G1', state, notify }))).toEqual(expected);
  });
});

describe('planMasterRxLowerPri', () => {
  it('runs notify_master_rx_lower_pri without extra arguments, then the FIFO line', () => {
    expect(brief(planMasterRxLowerPri({ name: 'VI_1', priority: 150, script: all.masterRxLowerPri }))).toEqual([
      'notify_master_rx_lower_pri: /rx.sh',
      'fifo "INSTANCE \\"VI_1\\" MASTER_RX_LOWER_PRI 150\\n"',
    ]);
  });
  it('writes the FIFO line without a script', () => {
    expect(brief(planMasterRxLowerPri({ name: 'VI_1', priority: 150 }))).toEqual(['fifo "INSTANCE \\"VI_1\\" MASTER_RX_LOWER_PRI 150\\n"']);
  });
});

describe('planPriorityChange', () => {
  it.each<[string, boolean, boolean, string[]]>([
    ['MASTER_PRIORITY in MASTER', true, true, ['fifo "INSTANCE \\"VI_1\\" MASTER_PRIORITY 140\\n"']],
    ['BACKUP_PRIORITY in any other state', false, true, ['fifo "INSTANCE \\"VI_1\\" BACKUP_PRIORITY 140\\n"']],
    ['nothing without notify_priority_changes', true, false, []],
  ])('%s', (_name, isMaster, notifyPriorityChanges, expected) => {
    expect(brief(planPriorityChange({ name: 'VI_1', isMaster, priority: 140, notifyPriorityChanges }))).toEqual(expected);
  });
});

describe('fifoLine', () => {
  it('matches the lines captured from keepalived 2.2.7', () => {
    expect(fifoLine('INSTANCE', 'VI_1', 'MASTER', 150)).toBe('INSTANCE "VI_1" MASTER 150\n');
    expect(fifoLine('GROUP', 'G1', 'BACKUP', 0)).toBe('GROUP "G1" BACKUP 0\n');
  });
});
