// Directors for the VRRP integration tests and the failover benchmark: keepalived 2.2.7 or our daemon,
// started the same way in a lab host, plus the capture arithmetic both need.
import path from 'node:path';
import { expect } from 'vitest';
import type { PcapFrame } from '../../src/testing/pcap.js';
import { type LabHost, type LabProcess, startKeepalived, startVrrpDaemon } from './lab.js';

export type DirectorKind = 'keepalived' | 'ours';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const ourCli = path.join(repoRoot, 'dist/cli/keepalived-ts.cjs');

/** Our daemon in the foreground with keepalived-style console lines (-l) and debug records (-D). */
export function startOurs(host: LabHost, conf: string, timeoutMs = 10_000, env?: NodeJS.ProcessEnv): Promise<LabProcess> {
  return startVrrpDaemon(host, [process.execPath, ourCli], conf, { timeoutMs, ...(env === undefined ? {} : { env }) });
}

export function startDirector(kind: DirectorKind, host: LabHost, conf: string): Promise<LabProcess> {
  return kind === 'ours' ? startOurs(host, conf) : startKeepalived(host, conf);
}

/** RFC 3768 §5.1 / RFC 5798 §5.2: the fixed head of a VRRP message (type 1 is ADVERTISEMENT). */
export function vrrpHead(f: PcapFrame): { version: number; type: number; vrid: number; priority: number } {
  const p = f.ip?.payload ?? new Uint8Array();
  return { version: (p[0] ?? 0) >> 4, type: (p[0] ?? 0) & 0x0f, vrid: p[1] ?? 0, priority: p[2] ?? 0 };
}

/** The names of the hosts holding `vip`, in the lab's order: 'a', 'b', 'ab' or ''. */
export async function holders(hosts: Readonly<Record<string, LabHost>>, vip: string): Promise<string> {
  const entries = Object.entries(hosts);
  const held = await Promise.all(entries.map(([, h]) => h.hasAddress(vip)));
  return entries.filter((_, i) => held[i]).map(([name]) => name).join('');
}

export const advertsFrom = (frames: readonly PcapFrame[], src: string): PcapFrame[] =>
  frames.filter((f) => f.ip?.protocol === 112 && f.ip.src === src);

/** keepalived's gratuitous ARP: a broadcast request with sender IP = target IP = the VIP. */
export const garpsFrom = (frames: readonly PcapFrame[], mac: string, vip: string): PcapFrame[] =>
  frames.filter((f) => f.ethSrc === mac && f.ethDst === 'ff:ff:ff:ff:ff:ff' && f.arp?.op === 1 && f.arp.senderIp === vip && f.arp.targetIp === vip);

/** Unsolicited neighbour advertisements (ICMPv6 136) for `vip` from `mac`. */
export const unsolicitedNasFrom = (frames: readonly PcapFrame[], mac: string): PcapFrame[] =>
  frames.filter((f) => f.ethSrc === mac && f.ip?.protocol === 58 && f.ip.payload[0] === 136 && f.ip.dst === 'ff02::1');

export interface Takeover {
  /** Last advert of the old master before the new one spoke (a priority-0 one for a graceful stop). */
  readonly lastOld: PcapFrame;
  readonly firstNew: PcapFrame;
  readonly gapMs: number;
}

/** The handover seen on the wire: the new master's first advert and the old master's last one before it. */
export function takeover(frames: readonly PcapFrame[], oldSrc: string, newSrc: string): Takeover {
  const firstNew = advertsFrom(frames, newSrc)[0];
  if (firstNew === undefined) throw new Error(`no advert from ${newSrc} in the capture`);
  const lastOld = advertsFrom(frames, oldSrc).filter((f) => f.tsUs < firstNew.tsUs).at(-1);
  if (lastOld === undefined) throw new Error(`no advert from ${oldSrc} before ${newSrc} took over`);
  return { lastOld, firstNew, gapMs: (firstNew.tsUs - lastOld.tsUs) / 1000 };
}

/**
 * RFC 3768 §6.1: 3 × interval + (256 − priority) × interval / 256. Written out here rather than taken from
 * src/vrrp/timing.ts so the tests do not check our daemon against its own arithmetic.
 */
export const masterDownMs = (priority: number, advertIntervalMs: number): number =>
  3 * advertIntervalMs + skewMs(priority, advertIntervalMs);
export const skewMs = (priority: number, advertIntervalMs: number): number => ((256 - priority) * advertIntervalMs) / 256;

/**
 * Where a takeover gap measured on the bridge may fall around its expected value (master-down after a
 * crash, the skew time after a priority-0 advert), for keepalived and for us alike: 50 ms early covers
 * capture timestamping, 300 ms late covers timer and scheduling delay on a loaded CI machine.
 */
export const takeoverWindowMs = (expectedMs: number): { readonly min: number; readonly max: number } => ({ min: expectedMs - 50, max: expectedMs + 300 });

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The seed lab's crash takeover, the oracle both keepalived and ours are held to:
 * `a` (priority 100) killed without a priority-0 advert, `b` (80) master once
 * master-down has passed (within takeoverWindowMs), then a GARP for the VIP from `b`.
 */
export function expectCrashTakeover(frames: readonly PcapFrame[], a: LabHost, b: LabHost, vip: string): void {
  const t = takeover(frames, a.address4, b.address4);
  // A crash sends no priority-0 advert (that would cut master-down to the skew time).
  expect(vrrpHead(t.lastOld).priority).toBe(100);
  expect(vrrpHead(t.firstNew)).toEqual({ version: 2, type: 1, vrid: 5, priority: 80 });
  const expected = masterDownMs(80, 1000);
  const w = takeoverWindowMs(expected);
  expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms, master-down ${expected} ms`).toBeGreaterThanOrEqual(w.min);
  expect(t.gapMs, `gap ${t.gapMs.toFixed(1)} ms, master-down ${expected} ms`).toBeLessThanOrEqual(w.max);
  expect(garpsFrom(frames, b.mac, vip).filter((f) => f.tsUs >= t.firstNew.tsUs).length).toBeGreaterThan(0);
}
