// Issue 3: tracking and notification with real processes. Our MASTER (100) tracks a vrrp_script with
// weight -30; keepalived is the BACKUP (80). A failing script drops us to 70, keepalived preempts, and
// our notify scripts see each state with keepalived's argv; the FIFO gets keepalived's lines.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab, type LabProcess, keepalivedConf, labPrerequisites, startKeepalived, sweepStaleLabs, waitFor } from './lab.js';
import { startOurs } from './directors.js';

const missing = labPrerequisites();
if (missing.length > 0) console.warn(`test/integration/vrrp-scripts.test.ts SKIPPED: ${missing.join('; ')}`);

const VIP = '192.0.2.100';

describe.skipIf(missing.length > 0)('track_script, notify scripts and notify_fifo', () => {
  let lab: Lab<'a' | 'b'>;
  let ours: LabProcess | undefined;
  let ka: LabProcess | undefined;
  let dir = '';
  const log = (): string[] => {
    try {
      return readFileSync(path.join(dir, 'notify.log'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    sweepStaleLabs();
    lab = await createLab({ a: { address4: '192.0.2.11/24' }, b: { address4: '192.0.2.12/24' } });
    dir = lab.hosts.a.tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'rc'), '0\n');
    writeFileSync(path.join(dir, 'check.sh'), `#!/bin/sh\nexit $(cat ${dir}/rc)\n`, { mode: 0o755 });
    writeFileSync(path.join(dir, 'notify.sh'), `#!/bin/sh\necho "$@" >> ${dir}/notify.log\n`, { mode: 0o755 });
    writeFileSync(path.join(dir, 'fifo-reader.sh'), `#!/bin/sh\ncat "$1" >> ${dir}/fifo.log\n`, { mode: 0o755 });
  });
  afterAll(async () => {
    ours?.kill('SIGKILL', 'group');
    ka?.kill('SIGKILL', 'group');
    await lab?.close();
  });

  it('a failing script lowers our priority, keepalived preempts, notify scripts and the FIFO report each state', async () => {
    const conf = keepalivedConf('c2', 'MASTER', 100, {
      globalLines: [`vrrp_notify_fifo ${dir}/vrrp.fifo`, `vrrp_notify_fifo_script ${dir}/fifo-reader.sh`],
      instanceLines: [
        'track_script {',
        '  chk',
        '}',
        `notify_master "${dir}/notify.sh master 'two words'"`,
        `notify_backup "${dir}/notify.sh backup"`,
        `notify ${dir}/notify.sh`,
      ],
    }).replace(/^vrrp_instance/m, `vrrp_script chk {\n  script "${dir}/check.sh"\n  interval 1\n  weight -30\n}\nvrrp_instance`);
    ours = await startOurs(lab.hosts.a, conf);
    ka = await startKeepalived(lab.hosts.b, keepalivedConf('c5', 'BACKUP', 80));
    await waitFor(async () => lab.hosts.a.hasAddress(VIP), 8_000, 'the VIP on a');
    await waitFor(async () => log().includes('INSTANCE VI_1 MASTER 100'), 2_000, 'the generic notify for MASTER');
    expect(log()).toContain('master two words');

    writeFileSync(path.join(dir, 'rc'), '1\n');
    await waitFor(async () => lab.hosts.b.hasAddress(VIP), 6_000, 'keepalived taking over after our priority drops');
    await waitFor(async () => !(await lab.hosts.a.hasAddress(VIP)), 2_000, 'our VIP removed');
    await waitFor(async () => log().includes('INSTANCE VI_1 BACKUP 70'), 2_000, 'the generic notify for BACKUP at priority 70');
    expect(log()).toContain('backup');
    expect(ours.output()).toMatch(/VRRP_Script\(chk\) failed \(exited with status 1\)/);

    writeFileSync(path.join(dir, 'rc'), '0\n');
    await waitFor(async () => (await lab.hosts.a.hasAddress(VIP)) && !(await lab.hosts.b.hasAddress(VIP)), 6_000, 'the VIP back on a');
    const fifo = (): string => readFileSync(path.join(dir, 'fifo.log'), 'utf8');
    await waitFor(async () => fifo().split('\n').length >= 5, 2_000, 'four FIFO lines');
    // keepalived reports the start-up BACKUP state too ("Entering BACKUP STATE (init)").
    expect(fifo()).toBe('INSTANCE "VI_1" BACKUP 100\nINSTANCE "VI_1" MASTER 100\nINSTANCE "VI_1" BACKUP 70\nINSTANCE "VI_1" MASTER 100\n');
  });

  it('SIGTERM runs notify_stop-time generic notify (STOP) and removes the FIFO we created', async () => {
    ours?.kill('SIGTERM', 'process');
    await ours?.exited;
    expect(log().at(-1)).toMatch(/^INSTANCE VI_1 STOP \d+$/);
    expect(() => readFileSync(path.join(dir, 'vrrp.fifo'))).toThrow();
  });
});
