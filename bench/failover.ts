// npm run bench:failover — issue 3's benchmark (not a test). For each pairing (old MASTER → new MASTER):
// keepalived→keepalived, ours→ours and both mixes, hard-kill the MASTER N times and report, from a bridge
// capture, the lateness = (first advert of the new MASTER − last advert of the old) − Master_Down_Interval;
// then the graceful handover lateness (after the priority-0 advert, minus the skew time); and RSS.
// Needs root, ip netns, tcpdump and keepalived; run `npm run build` first (the script does).
import { readFileSync } from 'node:fs';
import { createLab, keepalivedConf, labPrerequisites, sweepStaleLabs, waitFor, type Lab, type LabProcess } from '../test/integration/lab.js';
import { type DirectorKind, masterDownMs, skewMs, sleep, startDirector, takeover, vrrpHead } from '../test/integration/directors.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const VIP = '192.0.2.100';
const pairings: ReadonlyArray<readonly [DirectorKind, DirectorKind]> = [
  ['keepalived', 'keepalived'],
  ['ours', 'ours'],
  ['keepalived', 'ours'],
  ['ours', 'keepalived'],
];

interface Result {
  readonly hard: number[];
  readonly graceful: number[];
  readonly rssKiB: Partial<Record<DirectorKind, number>>;
}

function rssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** keepalived's VRRP work happens in its child; ours in the one process. */
function vrrpPid(kind: DirectorKind, p: LabProcess): number {
  if (kind === 'ours') return p.pid;
  const children = readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  return children[0] ?? p.pid;
}

async function run(lab: Lab<'a' | 'b'>, oldKind: DirectorKind, newKind: DirectorKind): Promise<Result> {
  const { a, b } = lab.hosts;
  const holds = (h: 'a' | 'b'): Promise<boolean> => lab.hosts[h].hasAddress(VIP);
  const startA = (): Promise<LabProcess> => startDirector(oldKind, a, keepalivedConf('c2', 'MASTER', 100));
  let procA = await startA();
  const procB = await startDirector(newKind, b, keepalivedConf('c5', 'BACKUP', 80));
  const result: Result = { hard: [], graceful: [], rssKiB: {} };
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
        if (how === 'hard') await a.exec(['ip', 'addr', 'del', `${VIP}/24`, 'dev', 'eth0']);
        procA = await startA();
        await waitFor(async () => (await holds('a')) && !(await holds('b')), 8_000, 'the VIP back on a only');
        for (const [kind, proc] of [[oldKind, procA], [newKind, procB]] as const) {
          const kib = result.rssKiB[kind] ?? rssKiB(vrrpPid(kind, proc));
          if (kib !== undefined) result.rssKiB[kind] = kib;
        }
      }
    };
    await rounds('hard');
    await rounds('graceful');
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
  const ka = rows.find((x) => x.pairing === 'keepalived → keepalived')?.r;
  const ours = rows.find((x) => x.pairing === 'ours → ours')?.r;
  if (ka !== undefined && ours !== undefined) {
    console.log(`\nhard median: ours ${fmt(median(ours.hard))} vs keepalived ${fmt(median(ka.hard))} (target ours ≤ 2 ms)`);
    const rOurs = ours.rssKiB.ours;
    const rKa = ka.rssKiB.keepalived;
    console.log(`RSS of the VRRP process: ours ${rOurs ?? '?'} KiB vs keepalived's VRRP child ${rKa ?? '?'} KiB${rOurs !== undefined && rKa !== undefined ? ` (ratio ${(rOurs / rKa).toFixed(1)})` : ''}`);
  }
}

await main();
