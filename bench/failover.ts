// npm run bench:failover — issue 3's benchmark (not a test). For each pairing (old MASTER → new MASTER):
// keepalived→keepalived, ours→ours and both mixes, hard-kill the MASTER N times and report, from a bridge
// capture, the lateness = (first advert of the new MASTER − last advert of the old) − Master_Down_Interval;
// then the graceful handover lateness (after the priority-0 advert, minus the skew time); ours − keepalived
// for both; and the peak RSS (VmHWM) of each director process after the rounds.
// Needs root, ip netns, tcpdump and keepalived; run `npm run build` first (the script does).
import { readFileSync } from 'node:fs';
import { createLab, keepalivedConf, labPrerequisites, removeAddress, sweepStaleLabs, waitFor, type Lab, type LabProcess } from '../test/integration/lab.js';
import { type DirectorKind, masterDownMs, skewMs, sleep, startDirector, takeover, vrrpHead } from '../test/integration/directors.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const VIP = '192.0.2.100';
const pairings: ReadonlyArray<readonly [DirectorKind, DirectorKind]> = [
  ['keepalived', 'keepalived'],
  ['ours', 'ours'],
  ['keepalived', 'ours'],
  ['ours', 'keepalived'],
];

/** Peak RSS of one process: its name in the report and VmHWM in KiB (undefined if it could not be read). */
interface PeakRss {
  readonly process: string;
  readonly kib: number | undefined;
}

interface Result {
  readonly hard: number[];
  readonly graceful: number[];
  /** Sampled after the rounds. a: restarted for the last round; b: ran through every round. */
  readonly peak: { a: PeakRss[]; b: PeakRss[] };
}

function vmHwmKiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * Ours is one process. keepalived -P is a parent that forks the VRRP child (which does the VRRP work);
 * `ip netns exec` execs keepalived, so the lab process's pid is the parent's.
 */
function peakRss(kind: DirectorKind, p: LabProcess): PeakRss[] {
  if (kind === 'ours') return [{ process: 'ours', kib: vmHwmKiB(p.pid) }];
  let child: number | undefined;
  try {
    child = Number(readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined;
  } catch {
    child = undefined;
  }
  return [
    { process: 'keepalived parent', kib: vmHwmKiB(p.pid) },
    { process: 'keepalived VRRP child', kib: vmHwmKiB(child) },
  ];
}

async function run(lab: Lab<'a' | 'b'>, oldKind: DirectorKind, newKind: DirectorKind): Promise<Result> {
  const { a, b } = lab.hosts;
  const holds = (h: 'a' | 'b'): Promise<boolean> => lab.hosts[h].hasAddress(VIP);
  const startA = (): Promise<LabProcess> => startDirector(oldKind, a, keepalivedConf('c2', 'MASTER', 100));
  let procA = await startA();
  const procB = await startDirector(newKind, b, keepalivedConf('c5', 'BACKUP', 80));
  const result: Result = { hard: [], graceful: [], peak: { a: [], b: [] } };
  try {
    await waitFor(() => holds('a'), 8_000, 'the VIP on a');
    const rounds = async (how: 'hard' | 'graceful'): Promise<void> => {
      for (let i = 0; i < ROUNDS; i++) {
        const capture = await lab.capture({ filter: 'ip proto 112' });
        await sleep(1_100);
        procA.kill(how === 'hard' ? 'SIGKILL' : 'SIGTERM', how === 'hard' ? 'group' : 'process');
        await waitFor(() => holds('b'), 6_000, 'the VIP on b');
        await procA.exited;
        await sleep(200);
        const frames = await capture.stop();
        const t = takeover(frames, a.address4, b.address4);
        if (how === 'graceful' && vrrpHead(t.lastOld).priority !== 0) throw new Error('graceful stop without a priority-0 advert');
        const expected = how === 'hard' ? masterDownMs(80, 1000) : skewMs(80, 1000);
        result[how].push(t.gapMs - expected);
        // A killed director leaves its VIP; remove it so the restarted one has to add it back.
        if (how === 'hard') await removeAddress(a, `${VIP}/24`);
        procA = await startA();
        await waitFor(async () => (await holds('a')) && !(await holds('b')), 8_000, 'the VIP back on a only');
      }
    };
    await rounds('hard');
    await rounds('graceful');
    result.peak.a = peakRss(oldKind, procA);
    result.peak.b = peakRss(newKind, procB);
  } finally {
    procA.kill('SIGKILL', 'group');
    procB.kill('SIGKILL', 'group');
    await Promise.all([procA.exited, procB.exited]);
  }
  return result;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
const fmtSigned = (ms: number): string => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(2)} ms`;
const fmtRss = (rows: readonly PeakRss[]): string => rows.map((r) => `${r.process} ${r.kib ?? '?'} KiB`).join(', ');

async function main(): Promise<void> {
  const missing = labPrerequisites();
  if (missing.length > 0) {
    console.error(`bench:failover cannot run here: ${missing.join('; ')}`);
    process.exitCode = 1;
    return;
  }
  sweepStaleLabs();
  const rows: Array<{ pairing: string; r: Result }> = [];
  for (const [oldKind, newKind] of pairings) {
    const lab = await createLab({ a: { address4: '192.0.2.11/24' }, b: { address4: '192.0.2.12/24' } });
    try {
      const r = await run(lab, oldKind, newKind);
      rows.push({ pairing: `${oldKind} → ${newKind}`, r });
      console.log(`${oldKind} → ${newKind}: hard ${r.hard.map(fmt).join(', ')}; graceful ${r.graceful.map(fmt).join(', ')}`);
    } finally {
      await lab.close();
    }
  }
  console.log(`\nfailover lateness, ${ROUNDS} rounds each (hard: gap − Master_Down_Interval ${masterDownMs(80, 1000)} ms; graceful: gap after the priority-0 advert − skew ${skewMs(80, 1000)} ms)`);
  console.log('| old → new | hard median | hard max | graceful median | graceful max |');
  console.log('|---|---|---|---|---|');
  for (const { pairing, r } of rows) {
    console.log(`| ${pairing} | ${fmt(median(r.hard))} | ${fmt(Math.max(...r.hard))} | ${fmt(median(r.graceful))} | ${fmt(Math.max(...r.graceful))} |`);
  }

  console.log('\npeak RSS (VmHWM) after the rounds, per pairing:');
  console.log('| old → new | a: old MASTER (restarted for the last round) | b: new MASTER (ran through every round) |');
  console.log('|---|---|---|');
  for (const { pairing, r } of rows) console.log(`| ${pairing} | ${fmtRss(r.peak.a)} | ${fmtRss(r.peak.b)} |`);

  const ka = rows.find((x) => x.pairing === 'keepalived → keepalived')?.r;
  const ours = rows.find((x) => x.pairing === 'ours → ours')?.r;
  if (ka === undefined || ours === undefined) return;
  // A difference, not a ratio: both latenesses are a few ms around 0, where a ratio swings wildly.
  const dHard = median(ours.hard) - median(ka.hard);
  const dGraceful = median(ours.graceful) - median(ka.graceful);
  console.log('\nours → ours vs keepalived → keepalived, median lateness (a difference: a ratio of values near 0 ms is unstable)');
  console.log(`  hard:     ours ${fmt(median(ours.hard))}, keepalived ${fmt(median(ka.hard))}, ours − keepalived ${fmtSigned(dHard)} (target ours ≤ 2 ms: ${median(ours.hard) <= 2 ? 'met' : 'missed'})`);
  console.log(`  graceful: ours ${fmt(median(ours.graceful))}, keepalived ${fmt(median(ka.graceful))}, ours − keepalived ${fmtSigned(dGraceful)}`);
  const oursKib = ours.peak.b.find((x) => x.process === 'ours')?.kib;
  const parentKib = ka.peak.b.find((x) => x.process === 'keepalived parent')?.kib;
  const childKib = ka.peak.b.find((x) => x.process === 'keepalived VRRP child')?.kib;
  const ratio = (x: number | undefined): string => (oursKib === undefined || x === undefined ? '?' : (oursKib / x).toFixed(1));
  console.log('peak RSS (VmHWM) of the director on b, which ran through every round:');
  console.log(`  ours (one process) ${oursKib ?? '?'} KiB; keepalived parent ${parentKib ?? '?'} KiB + VRRP child ${childKib ?? '?'} KiB`);
  console.log(`  ours / keepalived VRRP child ${ratio(childKib)}; ours / (parent + child) ${ratio(parentKib === undefined || childKib === undefined ? undefined : parentKib + childKib)}`);
}

await main();
