import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedHost, readConfig } from '../config/index.js';
import type { Exec } from '../lib/exec.js';
import { FakeScriptRunner } from '../testing/fake-script-runner.js';
import { memoryFs } from '../testing/memory-fs.js';
import { createLogger } from './logger.js';
import { createNotifyPort } from './notify-port.js';
import type { NotifyState } from './vrrp-daemon.js';
import { planVrrp } from './vrrp-plan.js';

// VI_1 has every script but notify_fault; its notify_backup is not executable, so script
// security disables it. VI_2 has none. G1 has notify_master, notify_stop and the generic one.
const config = (globals = ''): string => `
global_defs {
  script_user root
  enable_script_security
${globals}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 5
  priority 150
  notify_master "/usr/bin/m.sh a"
  notify_backup /usr/bin/b.sh
  notify_stop /usr/bin/s.sh
  notify "/usr/bin/n.sh x"
  notify_master_rx_lower_pri /usr/bin/rx.sh
  notify_priority_changes
  virtual_ipaddress {
    192.0.2.100/24
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 6
  virtual_ipaddress {
    192.0.2.101/24
  }
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  notify_master /usr/bin/gm.sh
  notify_stop /usr/bin/gs.sh
  notify /usr/bin/gn.sh
}
`;

const SCRIPTS = ['m', 's', 'n', 'rx', 'gm', 'gs', 'gn'].map((n): [string, object] => [`/usr/bin/${n}.sh`, {}]);

/** createNotifyPort with a FakeScriptRunner and an Exec that records (only a FIFO would need it). */
async function harness(globals = '') {
  const r = readConfig({
    path: '/k.conf',
    configId: 'n',
    cwd: '/',
    fs: memoryFs({ '/k.conf': config(globals) }),
    host: pinnedHost({ interfaces: ['lo', 'eth0'], files: Object.fromEntries([...SCRIPTS, ['/usr/bin/b.sh', { executable: false }]]) }),
  });
  expect(r.diagnostics.map((d) => d.message)).toEqual(["WARNING - script '/usr/bin/b.sh' is not executable for uid:gid 0:0 - disabling."]);
  const [vi1, vi2] = planVrrp(r.config, { primaryAddress: () => '192.0.2.12' }).instances;
  if (vi1 === undefined || vi2 === undefined) throw new Error('the plan lost an instance');
  const scripts = new FakeScriptRunner();
  const execs: string[][] = [];
  const exec: Exec = async (argv) => {
    execs.push([...argv]);
    return { code: 1, stdout: '', stderr: 'not in this test' };
  };
  const log = createLogger({ isDetailed: false, isConsole: false, destination: { write: () => {} } });
  const port = await createNotifyPort(r.config, { log, exec, runScript: scripts.run });
  return { port, scripts, execs, vi1, vi2 };
}

const STOP_LIMIT = { timeoutMs: 1_000, onTimeout: 'kill' };
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createNotifyPort: instance notifications', () => {
  it.each<[NotifyState, number, Array<[string[], object]>]>([
    ['MASTER', 150, [[['/usr/bin/m.sh', 'a'], {}], [['/usr/bin/n.sh', 'x', 'INSTANCE', 'VI_1', 'MASTER', '150'], {}]]],
    // notify_backup is disabled: only the generic script runs.
    ['BACKUP', 140, [[['/usr/bin/n.sh', 'x', 'INSTANCE', 'VI_1', 'BACKUP', '140'], {}]]],
    ['FAULT', 150, [[['/usr/bin/n.sh', 'x', 'INSTANCE', 'VI_1', 'FAULT', '150'], {}]]],
    [
      'STOP',
      165,
      [
        [['/usr/bin/s.sh'], STOP_LIMIT],
        [['/usr/bin/n.sh', 'x', 'INSTANCE', 'VI_1', 'STOP', '165'], STOP_LIMIT],
      ],
    ],
  ])('%s (priority %d): the state script first, then the generic one with 4 more words', async (state, priority, runs) => {
    const h = await harness();
    await h.port.instance(h.vi1, state, priority);
    expect(h.scripts.runs.map((r) => [r.script.argv, r.options])).toEqual(runs);
  });

  it('runs every script as its configured user', async () => {
    const h = await harness();
    await h.port.instance(h.vi1, 'MASTER', 150);
    expect(h.scripts.runs.map((r) => [r.script.uid, r.script.gid])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('runs nothing for an instance without scripts, and never execs without a FIFO', async () => {
    const h = await harness();
    await h.port.instance(h.vi2, 'MASTER', 100);
    expect(h.scripts.runs).toEqual([]);
    expect(h.execs).toEqual([]);
  });

  it('runs notify_master_rx_lower_pri as configured; priority changes run no script', async () => {
    const h = await harness();
    await h.port.masterRxLowerPri(h.vi1, 150);
    await h.port.masterRxLowerPri(h.vi2, 100);
    h.port.priority(h.vi1, 'MASTER', 140);
    expect(h.scripts.runs.map((r) => [r.script.argv, r.options])).toEqual([[['/usr/bin/rx.sh'], {}]]);
  });
});

describe('createNotifyPort: sync group notifications', () => {
  it.each<[NotifyState, Array<[string[], object]>]>([
    ['MASTER', [[['/usr/bin/gm.sh'], {}], [['/usr/bin/gn.sh', 'GROUP', 'G1', 'MASTER', '0'], {}]]],
    ['BACKUP', [[['/usr/bin/gn.sh', 'GROUP', 'G1', 'BACKUP', '0'], {}]]],
    // keepalived: the group's own notify_stop has no time limit; the generic STOP run has.
    [
      'STOP',
      [
        [['/usr/bin/gs.sh'], {}],
        [['/usr/bin/gn.sh', 'GROUP', 'G1', 'STOP', '0'], STOP_LIMIT],
      ],
    ],
  ])('%s: the priority word is always 0', async (state, runs) => {
    const h = await harness();
    await h.port.group('G1', state);
    expect(h.scripts.runs.map((r) => [r.script.argv, r.options])).toEqual(runs);
  });

  it('runs nothing for a group it does not know', async () => {
    const h = await harness();
    await h.port.group('G9', 'MASTER');
    expect(h.scripts.runs).toEqual([]);
  });
});

describe('createNotifyPort: close()', () => {
  it('waits for the pending time-limited STOP scripts, and only for those', async () => {
    const h = await harness();
    await h.port.instance(h.vi1, 'MASTER', 150); // these two never end: not waited for
    await h.port.instance(h.vi1, 'STOP', 150);
    let isClosed = false;
    const closing = h.port.close().then(() => {
      isClosed = true;
    });
    await settle();
    expect(isClosed).toBe(false);
    h.scripts.runs[2]?.finish({ code: 0 });
    await settle();
    expect(isClosed).toBe(false);
    h.scripts.runs[3]?.finish({ signal: 'SIGKILL', isTimedOut: true });
    await closing;
    expect(isClosed).toBe(true);
  });

  it('returns at once when no STOP script is running', async () => {
    const h = await harness();
    await h.port.instance(h.vi1, 'MASTER', 150);
    await h.port.instance(h.vi1, 'STOP', 150);
    for (const r of h.scripts.runs.slice(2)) r.finish({ code: 0 });
    await settle();
    await expect(h.port.close()).resolves.toBeUndefined();
  });
});

describe('createNotifyPort: vrrp_notify_fifo', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('writes one line per event, in keepalived format, to an existing FIFO', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ka-fifo-'));
    const path = join(dir, 'notify');
    execFileSync('mkfifo', ['-m', '0600', path]);
    const h = await harness(`  vrrp_notify_fifo ${path}`);
    expect(h.execs).toEqual([]); // the FIFO exists: no mkfifo
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await h.port.instance(h.vi1, 'MASTER', 150);
      h.port.priority(h.vi1, 'MASTER', 140);
      await h.port.group('G1', 'MASTER');
      await h.port.masterRxLowerPri(h.vi1, 140);
      await h.port.instance(h.vi2, 'BACKUP', 100);
      const buf = Buffer.alloc(4096);
      const n = readSync(reader, buf, 0, buf.length, null);
      expect(buf.subarray(0, n).toString('utf8')).toBe(
        ['INSTANCE "VI_1" MASTER 150', 'INSTANCE "VI_1" MASTER_PRIORITY 140', 'GROUP "G1" MASTER 0', 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 140', 'INSTANCE "VI_2" BACKUP 100', ''].join('\n'),
      );
    } finally {
      closeSync(reader);
      await h.port.close();
    }
  });
});
