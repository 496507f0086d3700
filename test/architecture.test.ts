/**
 * STYLE §1/§2: the pure core does no IO and reads no clock, randomness or process
 * state of its own: it imports no IO module, no logger, no HTTP client, and
 * calls none of the globals that reach the OS. Time, processes and files come in
 * through ports (Clock, ScriptRunner, the *-reader.ts adapters).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const pure = [
  'src/config',
  'src/vrrp',
  'src/lib/ip-address.ts',
  'src/lib/inet-checksum.ts',
  'src/lib/ifname.ts',
  'src/lib/strtol.ts',
  'src/net/frames.ts',
  'src/net/vrrp-channel.ts',
  'src/daemon/vrrp-plan.ts',
  'src/script/notify-plan.ts',
  'src/script/script-runner.ts',
  'src/track/script-hysteresis.ts',
  'src/track/script-tracker.ts',
  'src/track/file-tracker.ts',
  'src/track/link-tracker.ts',
  'src/track/process-match.ts',
  'src/track/process-tracker.ts',
  'src/track/up-down-poller.ts',
  'src/track/track-file-init.ts',
];
const forbiddenImport =
  /(from\s+|import\s*\(\s*)['"]((node:)?(net|dgram|child_process|fs|fs\/promises|os|http|https|worker_threads|perf_hooks)|undici|pino|[./]+native\.js)['"]/;
const forbiddenGlobal = /\b(Date\.now|performance\.now|new Date\(\s*\)|Math\.random|setTimeout|setInterval|setImmediate|process\.(kill|env|hrtime|exit|pid|umask|cwd|argv))\b/;

function files(p: string): string[] {
  const abs = path.join(root, p);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(abs, f));
}

/** The source without comments, so a comment naming setTimeout is no offence. */
const code = (f: string): string =>
  readFileSync(f, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('architecture', () => {
  it.each(pure)('%s imports no IO module', (p) => {
    const offenders = files(p).filter((f) => forbiddenImport.test(code(f)));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it.each(pure)('%s reads no clock, randomness or process state itself', (p) => {
    const offenders = files(p).flatMap((f) => {
      const m = forbiddenGlobal.exec(code(f));
      return m ? [`${path.relative(root, f)}: ${m[0]}`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    expect(forbiddenImport.test("import { readFile } from 'node:fs/promises';")).toBe(true);
    expect(forbiddenImport.test("const cp = await import('child_process');")).toBe(true);
    expect(forbiddenGlobal.test('const t = Date.now();')).toBe(true);
    expect(forbiddenGlobal.test('process.kill(-pid)')).toBe(true);
    expect(forbiddenImport.test("import type { Clock } from '../lib/clock.js';")).toBe(false);
  });
});
