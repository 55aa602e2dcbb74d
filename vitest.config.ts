import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Browser tests wait on real pages while property tests and drills load both cores beside them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // expect.poll waits on pages and bots that a loaded machine slows: 15 s, not the default second.
    expect: { poll: { timeout: 15_000 } },
    // Browser tests share one Chromium per file; files in parallel would fight for 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
