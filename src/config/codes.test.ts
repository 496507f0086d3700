import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnosticCodes } from './codes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const documented = [...readFileSync(join(root, 'docs/errors.md'), 'utf8').matchAll(/^\| `(KA_CFG_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'codes.ts' ? [join(dir, e.name)] : [],
  );
}

describe('diagnostic codes', () => {
  it('documents every code in docs/errors.md, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.keys(diagnosticCodes).sort());
  });

  it('every code in the registry is reported somewhere, and every code reported is registered', () => {
    const used = new Set<string>();
    for (const f of sources(join(root, 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(/'(KA_CFG_[A-Z0-9_]+)'/g)) used.add(m[1] as string);
    expect([...used].sort()).toEqual(Object.keys(diagnosticCodes).sort());
  });
});
