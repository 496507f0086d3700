/** STYLE §1: the decision files of src/script do no IO (test/architecture.test.ts covers other folders). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const forbidden = /from\s+['"](node:(net|dgram|child_process|fs|fs\/promises|os|http|https)|undici|pino)['"]/;

describe('src/script purity', () => {
  it.each(['script-runner.ts', 'notify-plan.ts'])('%s imports no IO module', (file) => {
    expect(readFileSync(new URL(file, import.meta.url), 'utf8')).not.toMatch(forbidden);
  });
});
