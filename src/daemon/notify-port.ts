import type { Config } from '../config/index.js';
import type { Logger } from './logger.js';
import type { NotifyPort } from './vrrp-daemon.js';

// Placeholder until src/script lands (replaced in this session before commit).
export function createNotifyPort(_config: Config, _log: Logger): NotifyPort {
  return {
    instance: async () => {},
    group: async () => {},
    priority: () => {},
    masterRxLowerPri: async () => {},
    close: async () => {},
  };
}
