/**
 * glob(3) with GLOB_BRACE | GLOB_MARK as keepalived uses it for `include` and `-f`:
 * csh braces, `*`, `?`, `[...]` per path segment, matches sorted, missing
 * directories/files noticed (keepalived's GLOB_ALTDIRFUNC hooks).
 */
import { joinPath } from './paths.js';

/** The file access the config core needs; the CLI passes a node:fs adapter, tests an in-memory one. */
export interface ConfigFs {
  /** Raw bytes as a latin1 string (one char per byte), or undefined if unreadable. */
  readFile(path: string): string | undefined;
  stat(path: string): { kind: 'file' | 'dir' | 'other'; executable: boolean } | undefined;
  readdir(path: string): string[] | undefined;
}

export interface GlobMatch {
  /** Absolute path. */
  readonly path: string;
  /** As keepalived names it in messages: relative patterns stay relative. */
  readonly display: string;
  readonly kind: 'file' | 'dir' | 'other';
  readonly executable: boolean;
}

export function hasWildcard(p: string): boolean {
  return /[*?[]/.test(p);
}

/** keepalived: have_brace() — an unescaped `{`. */
export function hasBrace(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '{') return true;
  }
  return false;
}

/** Expands `{a,b}` alternatives (nested allowed), left to right as glibc does. */
export function expandBraces(p: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0 && open >= 0) {
        const inner = p.slice(open + 1, i);
        const alts: string[] = [];
        let d = 0;
        let cur = '';
        for (let j = 0; j < inner.length; j++) {
          const ch = inner[j] ?? '';
          if (ch === '{') d++;
          if (ch === '}') d--;
          if (ch === ',' && d === 0) {
            alts.push(cur);
            cur = '';
          } else cur += ch;
        }
        alts.push(cur);
        if (alts.length < 2) return [p];
        const pre = p.slice(0, open);
        const post = p.slice(i + 1);
        return alts.flatMap((a) => expandBraces(pre + a + post));
      }
    }
  }
  return [p];
}

function segmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] ?? '';
    if (c === '\\' && i + 1 < seg.length) {
      re += escapeRe(seg[++i] ?? '');
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let cls = seg.slice(i + 1, close);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function expandGlob(fs: ConfigFs, pattern: string, cwd: string): { matches: GlobMatch[]; missing: boolean } {
  const matches: GlobMatch[] = [];
  let missing = false;
  for (const alt of expandBraces(pattern)) {
    const abs = alt.startsWith('/');
    const segs = alt.split('/').filter((s, i) => s !== '' || i === 0);
    let cands: { abs: string; disp: string }[] = [{ abs: abs ? '/' : cwd, disp: abs ? '/' : '' }];
    const parts = abs ? segs.slice(1) : segs;
    for (let k = 0; k < parts.length; k++) {
      const seg = parts[k] ?? '';
      if (seg === '') continue;
      const next: { abs: string; disp: string }[] = [];
      for (const c of cands) {
        const disp = (s: string): string => (c.disp === '' ? s : c.disp === '/' ? `/${s}` : `${c.disp}/${s}`);
        if (!hasWildcard(seg)) {
          const p = joinPath(c.abs, seg);
          if (fs.stat(p) === undefined) missing = true;
          else next.push({ abs: p, disp: disp(seg) });
          continue;
        }
        const names = fs.readdir(c.abs);
        if (names === undefined) {
          missing = true;
          continue;
        }
        const re = segmentRegex(seg);
        for (const n of names.sort()) {
          if (n.startsWith('.') && !seg.startsWith('.')) continue;
          if (re.test(n)) next.push({ abs: joinPath(c.abs, n), disp: disp(n) });
        }
      }
      cands = next;
    }
    const found: GlobMatch[] = [];
    for (const c of cands) {
      const st = fs.stat(c.abs);
      if (!st) continue;
      found.push({ path: c.abs, display: c.disp, kind: st.kind, executable: st.executable });
    }
    found.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
    matches.push(...found);
  }
  return { matches, missing };
}
