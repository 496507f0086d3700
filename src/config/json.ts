/** The resolved model as plain JSON (Maps become objects, Sets arrays). Documented in docs/config-json.md. */
import type { Config } from './model.js';

export const CONFIG_JSON_VERSION = 1;

function plain(v: unknown): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(k)] = plain(x);
    return o;
  }
  if (v instanceof Set) return [...v].map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = plain(x);
    return o;
  }
  return v;
}

export function configToJson(config: Config): Record<string, unknown> {
  return { version: CONFIG_JSON_VERSION, ...(plain(config) as Record<string, unknown>) };
}
