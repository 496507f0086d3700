// Issue 3: tracking and notification with real processes. Our MASTER (100) tracks a vrrp_script with
// weight -30; keepalived is the BACKUP (80). A failing script drops us to 70, keepalived preempts, and
// our notify scripts see each state with keepalived's argv; the FIFO gets keepalived's lines.
import { chmodSync, copyFileSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab, type LabProcess, keepalivedConf, labPrerequisites, startKeepalived, sweepStaleLabs, waitFor } from './lab.js';
import { garpsFrom, sleep, startOurs } from './directors.js';

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
    const fifo = path.join(dir, 'vrrp.fifo');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    ours?.kill('SIGTERM', 'process');
    await ours?.exited;
    expect(log().at(-1)).toMatch(/^INSTANCE VI_1 STOP \d+$/);
    // existsSync, not a read: opening a FIFO that is still there blocks until a writer comes.
    expect(existsSync(fifo)).toBe(false);
  });

  it('vrrp_track_process: our MASTER goes to FAULT when the tracked process goes, and back when it returns', async () => {
    ka?.kill('SIGKILL', 'group');
    await ka?.exited;
    ka = undefined;
    // A uniquely named copy of sleep(1): its comm is the file name (15 bytes at most).
    const name = `kts${process.pid % 100000}`;
    const bin = path.join(dir, name);
    copyFileSync('/bin/sleep', bin);
    chmodSync(bin, 0o755);
    const sleeper = lab.hosts.a.spawn([bin, '60']);
    const conf = keepalivedConf('c2', 'MASTER', 100, { instanceLines: ['track_process {', '  proc', '}'] }).replace(
      /^vrrp_instance/m,
      `vrrp_track_process proc {\n  process ${name}\n  quorum 1\n}\nvrrp_instance`,
    );
    ours = await startOurs(lab.hosts.a, conf);
    await waitFor(async () => lab.hosts.a.hasAddress(VIP), 8_000, 'the VIP on a while the process runs');
    sleeper.kill('SIGKILL');
    await waitFor(async () => !(await lab.hosts.a.hasAddress(VIP)), 3_000, 'the VIP released in FAULT');
    await ours.waitForOutput(/Entering FAULT STATE/, 1_000);
    const again = lab.hosts.a.spawn([bin, '60']);
    try {
      await waitFor(async () => lab.hosts.a.hasAddress(VIP), 8_000, 'the VIP back once the process returns');
    } finally {
      again.kill('SIGKILL');
      ours.kill('SIGTERM', 'process');
      await ours.exited;
    }
  });

  it('garp_master_refresh repeats the GARP burst while MASTER, once per interval', async () => {
    const refreshMs = 1_000;
    const capture = await lab.capture({ filter: 'arp' });
    ours = await startOurs(
      lab.hosts.a,
      keepalivedConf('c2', 'MASTER', 100, { instanceLines: [`garp_master_refresh ${refreshMs / 1000}`, 'garp_master_refresh_repeat 2', 'garp_master_delay 0'] }),
    );
    await waitFor(async () => lab.hosts.a.hasAddress(VIP), 8_000, 'the VIP on a');
    await sleep(3_300);
    const stopCalledMs = Date.now();
    const frames = await capture.stop();
    const stoppedMs = Date.now();
    ours.kill('SIGTERM', 'process');
    await ours.exited;
    // A burst's GARPs go out back to back; bursts are a refresh interval apart.
    const bursts = burstsOf(garpsFrom(frames, lab.hosts.a.mac, VIP).map((f) => f.tsUs / 1000), refreshMs / 2);
    // The takeover burst (vrrp_garp_master_repeat, default 5), then garp_master_refresh_repeat (2) per refresh.
    expect(bursts.map((b) => b.length)).toEqual([5, ...Array<number>(bursts.length - 1).fill(2)]);
    const starts = bursts.map((b) => b[0] ?? Number.NaN);
    const gapsMs = starts.slice(1).map((t, i) => t - (starts[i] ?? Number.NaN));
    for (const g of gapsMs) {
      expect(g, `gaps between bursts ${gapsMs.map((x) => x.toFixed(0)).join(', ')} ms`).toBeGreaterThanOrEqual(0.9 * refreshMs);
      expect(g, `gaps between bursts ${gapsMs.map((x) => x.toFixed(0)).join(', ')} ms`).toBeLessThanOrEqual(1.1 * refreshMs);
    }
    // One refresh per whole interval between the takeover burst and the end of the capture (pcap and
    // Date.now() share the wall clock), give or take one interval's 10 % at the edges.
    const t0 = starts[0] ?? Number.NaN;
    expect(gapsMs.length).toBeGreaterThanOrEqual(3);
    expect(gapsMs.length).toBeGreaterThanOrEqual(Math.floor((stopCalledMs - t0) / refreshMs - 0.1));
    expect(gapsMs.length).toBeLessThanOrEqual(Math.floor((stoppedMs - t0) / refreshMs + 0.1));
  });
});

/** Groups ascending times (ms) into bursts: a new burst starts after a gap longer than `maxGapMs`. */
function burstsOf(timesMs: readonly number[], maxGapMs: number): number[][] {
  const bursts: number[][] = [];
  for (const t of timesMs) {
    const last = bursts.at(-1);
    const prev = last?.at(-1);
    if (last !== undefined && prev !== undefined && t - prev <= maxGapMs) last.push(t);
    else bursts.push([t]);
  }
  return bursts;
}
