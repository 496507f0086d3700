/** The real host's facts for the config reader (interfaces, users, script files). */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { networkInterfaces, hostname } from 'node:os';
import type { HostFacts } from '../config/index.js';

function readTable(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

function listInterfaces(): Set<string> {
  const out = new Set<string>(Object.keys(networkInterfaces()));
  try {
    // /proc/net/dev also lists interfaces that are down or have no address.
    for (const line of readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)) {
      const name = line.split(':')[0]?.trim();
      if (name) out.add(name);
    }
  } catch {
    /* not Linux */
  }
  return out;
}

/** Writable by someone other than root along the path (keepalived: check_security()). */
function unsafePath(path: string): boolean {
  let p = path;
  while (p && p !== '/') {
    try {
      const st = statSync(p);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
        // sticky directories like /tmp are writable by all but still unsafe for scripts
        return true;
      }
    } catch {
      return true;
    }
    p = p.slice(0, p.lastIndexOf('/'));
  }
  return false;
}

export function nodeHostFacts(): HostFacts {
  const ifs = listInterfaces();
  const passwd = readTable('/etc/passwd');
  const groups = readTable('/etc/group');
  return {
    interfaceExists: (n) => ifs.has(n),
    isLoopback: (n) => n === 'lo',
    user: (n) => {
      const row = passwd.find((r) => r[0] === n);
      return row ? { uid: Number(row[2]), gid: Number(row[3]) } : undefined;
    },
    group: (n) => {
      const row = groups.find((r) => r[0] === n);
      return row ? { gid: Number(row[2]) } : undefined;
    },
    file: (p) => {
      try {
        const real = realpathSync(p);
        const st = statSync(real);
        return {
          realPath: real,
          isFile: st.isFile(),
          executable: st.isFile() && (st.mode & 0o111) !== 0,
          uid: st.uid,
          unsafe: unsafePath(real),
        };
      } catch {
        return undefined;
      }
    },
    resolve: (n) => {
      if (/^[0-9.]+$/.test(n) || n.includes(':')) return n;
      const hosts = readFileSync('/etc/hosts', 'utf8').split('\n');
      for (const l of hosts) {
        const f = l.split('#')[0]?.trim().split(/\s+/) ?? [];
        if (f.slice(1).includes(n) && f[0]) return f[0];
      }
      return undefined;
    },
    nodeName: hostname(),
  };
}
