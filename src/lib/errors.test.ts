import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codes, isKaError, KaError } from './errors.js';

const documented = [...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `(KA_ERR_[A-Z0-9_]+)` \|/gm)].map(
  (m) => m[1],
);

describe('error registry', () => {
  it('documents every code in docs/errors.md, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.keys(codes).sort());
  });

  it('keeps code and cause', () => {
    const cause = new Error('EPERM');
    const e = new KaError('KA_ERR_RAW_SOCKET', 'cannot open', { cause });
    expect(e.code).toBe('KA_ERR_RAW_SOCKET');
    expect(e.cause).toBe(cause);
    expect(isKaError(e, 'KA_ERR_RAW_SOCKET')).toBe(true);
    expect(isKaError(e, 'KA_ERR_IP_FAILED')).toBe(false);
    expect(isKaError(cause)).toBe(false);
  });
});
