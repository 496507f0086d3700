/** The real ProcessLister: every process in /proc with its comm and cmdline. */
import { readdir, readFile } from 'node:fs/promises';
import type { ProcessInfo } from './process-match.js';
import type { ProcessLister } from './process-tracker.js';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'latin1');
  } catch {
    return undefined;
  }
}

async function readProcess(root: string, pid: string): Promise<ProcessInfo | undefined> {
  const [stat, cmdline] = await Promise.all([readText(`${root}/${pid}/stat`), readText(`${root}/${pid}/cmdline`)]);
  if (stat === undefined || cmdline === undefined) return undefined;
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  // keepalived: read_procs() skips zombies (state Z), whose cmdline is empty.
  if (open < 0 || close < open || stat.charAt(close + 2) === 'Z') return undefined;
  return { comm: stat.slice(open + 1, close), cmdline };
}

/** `root` is for tests; processes that vanish while being read are skipped. */
export function createProcProcessLister(root = '/proc'): ProcessLister {
  return async () => {
    const pids = (await readdir(root)).filter((name) => /^\d+$/.test(name));
    const procs = await Promise.all(pids.map((pid) => readProcess(root, pid)));
    return procs.filter((p): p is ProcessInfo => p !== undefined);
  };
}
