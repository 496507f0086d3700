/**
 * Acceptance 3 of the reader issue: thousands of mutated corpus files (braces deleted or
 * duplicated, tokens swapped, random bytes, truncation) always give a model or diagnostics
 * with positions, never a throw. Deterministic: a seeded PRNG, so a failure names its seed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinnedHost, readConfig } from '../../src/config/index.js';
import type { ConfigFs } from '../../src/config/index.js';
import { corpusDir } from '../corpus/keepalived-verdict.js';

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

type Mutation = (src: string, rnd: () => number) => string;
const pick = (n: number, rnd: () => number): number => Math.floor(rnd() * n);

const mutations: Record<string, Mutation> = {
  'delete a brace': (s, rnd) => {
    const idx = [...s.matchAll(/[{}]/g)].map((m) => m.index ?? 0);
    const i = idx[pick(idx.length, rnd)];
    return i === undefined ? s : s.slice(0, i) + s.slice(i + 1);
  },
  'duplicate a brace': (s, rnd) => {
    const idx = [...s.matchAll(/[{}]/g)].map((m) => m.index ?? 0);
    const i = idx[pick(idx.length, rnd)];
    return i === undefined ? s : s.slice(0, i) + s[i] + s.slice(i);
  },
  'swap two tokens': (s, rnd) => {
    const toks = s.split(/(\s+)/);
    const a = pick(toks.length, rnd);
    const b = pick(toks.length, rnd);
    const ta = toks[a] ?? '';
    toks[a] = toks[b] ?? '';
    toks[b] = ta;
    return toks.join('');
  },
  'random bytes': (s, rnd) => {
    const i = pick(s.length + 1, rnd);
    let junk = '';
    for (let k = 0, n = 1 + pick(8, rnd); k < n; k++) junk += String.fromCharCode(pick(256, rnd));
    return s.slice(0, i) + junk + s.slice(i);
  },
  'truncate': (s, rnd) => s.slice(0, pick(s.length, rnd)),
  'drop a line': (s, rnd) => {
    const ls = s.split('\n');
    ls.splice(pick(ls.length, rnd), 1);
    return ls.join('\n');
  },
  'preprocessor noise': (s, rnd) => {
    const noise = ['$X=\\', '~SEQ(I, 3) $X', '@^x ', 'include *', '${_RANDOM 1 2}', '"', '\\', '~LST({A,B},{1})'];
    const ls = s.split('\n');
    ls.splice(pick(ls.length + 1, rnd), 0, noise[pick(noise.length, rnd)] ?? '');
    return ls.join('\n');
  },
};

function singleFileFs(file: string, bytes: string): ConfigFs {
  return {
    readFile: (p) => (p === file ? bytes : undefined),
    stat: (p) => (p === file ? { kind: 'file', executable: false } : p === '/' || p === '/fz' ? { kind: 'dir', executable: true } : undefined),
    readdir: (p) => (p === '/fz' ? ['k.conf'] : p === '/' ? ['fz'] : undefined),
  };
}

const dir = corpusDir();
const files = dir
  ? ['real', 'templates', 'upstream-samples'].flatMap((set) =>
      readdirSync(path.join(dir, set)).map((f) => path.join(dir, set, f)),
    )
  : [];

describe.skipIf(!dir)('fuzz: mutated corpus files never throw', () => {
  const host = pinnedHost({ interfaces: ['lo', 'eth0'] });
  it.each(Object.keys(mutations))('%s', (name) => {
    const mutate = mutations[name];
    if (!mutate) throw new Error(name);
    let runs = 0;
    for (let f = 0; f < files.length; f++) {
      const src = readFileSync(files[f] ?? '').toString('latin1');
      for (let k = 0; k < 3; k++) {
        const seed = f * 1000 + k * 7 + name.length;
        const rnd = prng(seed);
        let text = src;
        for (let m = 0, n = 1 + pick(3, rnd); m < n; m++) text = mutate(text, rnd);
        let result: ReturnType<typeof readConfig> | undefined;
        try {
          result = readConfig({ path: '/fz/k.conf', configId: 'fz', cwd: '/fz', fs: singleFileFs('/fz/k.conf', text), host });
        } catch (e) {
          throw new Error(`${name} on ${files[f]} (seed ${seed}) threw: ${String(e)}`);
        }
        expect([0, 2, 4, 5, 6]).toContain(result.exitCode);
        for (const d of result.diagnostics) {
          if (d.loc) {
            expect(d.loc.line).toBeGreaterThanOrEqual(0);
            expect(d.loc.file.length).toBeGreaterThan(0);
          }
        }
        runs++;
      }
    }
    expect(runs).toBe(files.length * 3);
  });
});
