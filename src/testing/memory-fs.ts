/** In-memory ConfigFs for config tests: paths → contents (strings are taken as UTF-8, stored as bytes). */
import type { ConfigFs } from '../config/index.js';

export function memoryFs(files: Record<string, string | { text: string; executable?: boolean } | null>): ConfigFs {
  const entries = new Map<string, { bytes: string; executable: boolean } | null>();
  const dirs = new Set<string>(['/']);
  for (const [p, v] of Object.entries(files)) {
    const text = v === null ? null : typeof v === 'string' ? v : v.text;
    const executable = v !== null && typeof v !== 'string' && v.executable === true;
    entries.set(p, text === null ? null : { bytes: Buffer.from(text, 'utf8').toString('latin1'), executable });
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') || '/');
  }
  for (const [p, v] of entries) if (v === null) dirs.add(p);
  return {
    readFile: (p) => entries.get(p)?.bytes,
    stat: (p) => {
      if (dirs.has(p)) return { kind: 'dir', executable: true };
      const e = entries.get(p);
      return e ? { kind: 'file', executable: e.executable } : undefined;
    },
    readdir: (p) => {
      if (!dirs.has(p)) return undefined;
      const prefix = p === '/' ? '/' : `${p}/`;
      const names = new Set<string>();
      for (const k of [...entries.keys(), ...dirs]) {
        if (k.startsWith(prefix) && k !== p) {
          const rest = k.slice(prefix.length).split('/')[0];
          if (rest) names.add(rest);
        }
      }
      return [...names];
    },
  };
}
