/** node:fs adapter for the config reader's ConfigFs port. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { ConfigFs } from '../config/index.js';

export const nodeConfigFs: ConfigFs = {
  readFile(path) {
    try {
      return readFileSync(path).toString('latin1');
    } catch {
      return undefined;
    }
  },
  stat(path) {
    try {
      const st = statSync(path);
      return {
        kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other',
        executable: (st.mode & 0o111) !== 0,
      };
    } catch {
      return undefined;
    }
  },
  readdir(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};
