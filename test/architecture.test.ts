/** STYLE §2: the pure core imports no IO, no logger, no HTTP client. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const pure = [
  'src/config',
  'src/vrrp',
  'src/lib/ip-address.ts',
  'src/lib/inet-checksum.ts',
  'src/net/frames.ts',
  'src/net/vrrp-channel.ts',
  'src/daemon/vrrp-plan.ts',
];
const forbidden = /from\s+['"](node:(net|dgram|child_process|fs|os|http|https)|undici|pino|[./]+native\.js)['"]/;

function files(p: string): string[] {
  const abs = path.join(root, p);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(abs, f));
}

describe('architecture', () => {
  it.each(pure)('%s does no IO', (p) => {
    const offenders = files(p).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
