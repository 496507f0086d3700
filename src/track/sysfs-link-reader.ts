/** The real LinkReader: `/sys/class/net/IF/{flags,operstate}`. */
import { readFile } from 'node:fs/promises';
import { isValidIfname } from '../lib/ifname.js';
import type { LinkReader } from './link-tracker.js';

/** `root` is for tests; a missing interface (or attribute) reads as undefined. */
export function createSysfsLinkReader(root = '/sys/class/net'): LinkReader {
  return async (ifname) => {
    if (!isValidIfname(ifname)) return undefined;
    try {
      const [flags, operstate] = await Promise.all([
        readFile(`${root}/${ifname}/flags`, 'utf8'),
        readFile(`${root}/${ifname}/operstate`, 'utf8'),
      ]);
      return { flags, operstate };
    } catch {
      return undefined;
    }
  };
}
