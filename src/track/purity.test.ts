/** STYLE §1: policy and drivers of src/track reach the OS only through ports (the *-reader.ts adapters). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const forbidden = /from\s+['"](node:(net|dgram|child_process|fs|fs\/promises|os|http|https)|undici|pino)['"]/;

describe('src/track purity', () => {
  it.each(['script-hysteresis.ts', 'script-tracker.ts', 'file-tracker.ts', 'link-tracker.ts'])('%s imports no IO module', (file) => {
    expect(readFileSync(new URL(file, import.meta.url), 'utf8')).not.toMatch(forbidden);
  });
});
