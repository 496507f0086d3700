/** The real LinkReader: `/sys/class/net/IF/{flags,operstate}`. */
import { readFile } from 'node:fs/promises';
import type { LinkReader } from './link-tracker.js';

/** Names the kernel could never have (dev_valid_name()); they are never looked up. */
function isValidIfname(ifname: string): boolean {
  return ifname !== '' && ifname !== '.' && ifname !== '..' && !/[/\s:\0]/.test(ifname);
}

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
