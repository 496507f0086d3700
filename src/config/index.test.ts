import { describe, expect, it } from 'vitest';
import { memoryFs } from '../testing/memory-fs.js';
import { pinnedHost, readConfig } from './index.js';

const read = (files: Record<string, string>, path = '/k.conf') =>
  readConfig({ path, configId: 'n', cwd: '/', fs: memoryFs(files), host: pinnedHost({}) });

describe('readConfig exit statuses', () => {
  it('compat difference: a missing main config exits 4 (keepalived -t: 0)', () => {
    const r = read({}, '/nope.conf');
    expect(r.exitCode).toBe(4);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['Unable to find configuration file /nope.conf']);
  });
  it('an empty config is clean', () => {
    expect(read({ '/k.conf': '' }).exitCode).toBe(0);
  });
  it('a missing parameter exits 2', () => {
    expect(read({ '/k.conf': 'vrrp_instance A {\n interface\n}\n' }).exitCode).toBe(2);
  });
});
