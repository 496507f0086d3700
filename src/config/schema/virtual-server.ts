/** Placeholder: being written (everything in the checker pass). */
import type { KeywordSpec } from '../engine.js';
import type { BuildState } from '../model.js';
export interface LvsSection {}
export function createLvsSection(): LvsSection { return {}; }
export const checkerRootKeywords: Record<string, KeywordSpec<BuildState>> = {};
export function validateLvs(_state: BuildState): void {}
