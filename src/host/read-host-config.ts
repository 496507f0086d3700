/** readConfig() against this machine: its file system, its host facts, a real random source. */
import { defaultConfigId, readConfig, type ReadResult } from '../config/index.js';
import { nodeConfigFs } from './node-fs.js';
import { nodeHostFacts } from './node-host.js';

export function readHostConfig(o: { readonly path: string; readonly configId?: string | undefined; readonly strictIncludes: boolean }): ReadResult {
  const host = nodeHostFacts();
  return readConfig({
    path: o.path,
    configId: o.configId ?? defaultConfigId(host.nodeName),
    cwd: process.cwd(),
    fs: nodeConfigFs,
    host,
    strictIncludes: o.strictIncludes,
    // keepalived seeds ${_RANDOM} from the time (or random_seed); the edge owns the random source.
    random: (min, max) => min + Math.floor(Math.random() * (max - min + 1)),
  });
}
