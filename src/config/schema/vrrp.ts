/** Placeholder: being written (everything in the VRRP pass). */
import type { KeywordSpec } from '../engine.js';
import type { BuildState } from '../model.js';
export interface VrrpSection {}
export function createVrrpSection(): VrrpSection { return {}; }
export const vrrpRootKeywords: Record<string, KeywordSpec<BuildState>> = {};
export function validateVrrp(_state: BuildState): void {}
