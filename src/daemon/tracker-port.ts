import type { Logger } from './logger.js';
import type { TrackerPort } from './vrrp-daemon.js';

// Placeholder until src/track lands (replaced in this session before commit).
export function createTrackerPort(_log: Logger): TrackerPort {
  return () => () => {};
}
