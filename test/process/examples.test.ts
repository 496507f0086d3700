/** Our example configs are clean for keepalived 2.2.7 and for us. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/keepalived-ts.cjs');
const keepalived = ['/usr/sbin/keepalived', '/sbin/keepalived'].find((p) => existsSync(p));
const examples = readdirSync(path.join(root, 'conf/examples')).filter((f) => f.endsWith('.conf'));

// `npm test` builds first, so a missing build output is a bug to report, not a reason to skip.
if (!existsSync(cli)) throw new Error('dist/cli/keepalived-ts.cjs is missing: run `npm run build` first');

describe('conf/examples', () => {
  it.each(examples)('%s: exit 0 for us and for keepalived -t', (f) => {
    const file = path.join(root, 'conf/examples', f);
    const ours = spawnSync(process.execPath, [cli, '-t', '-i', 'dirA', '-f', file], { encoding: 'utf8' });
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    if (keepalived) {
      const theirs = spawnSync(keepalived, ['-t', '-i', 'dirA', '-f', file], { encoding: 'utf8' });
      expect(theirs.status).toBe(0);
    }
  });
});
