/** Placeholder: being written (global_defs, top-level statements, bfd_instance). */
import type { KeywordSpec } from '../engine.js';
import type { HostFacts } from '../host.js';
import type { BuildState } from '../model.js';
export interface GlobalSection {
  routerId: string;
  enableScriptSecurity: boolean;
  scriptUser?: { user: string; group?: string };
}
export function createGlobalSection(host: HostFacts): GlobalSection {
  return { routerId: host.nodeName, enableScriptSecurity: false };
}
export const globalRootKeywords: Record<string, KeywordSpec<BuildState>> = {};
export function validateGlobal(_state: BuildState): void {}
