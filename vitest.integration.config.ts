import { defineConfig } from 'vitest/config';

// `npm run test:integration`: root, network namespaces, real keepalived (test/integration/lab.ts).
// One file at a time so keepalived's timers are not starved by parallel labs.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
