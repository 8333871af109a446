import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    // Both cores of the project's machines (docs: 2 cores): vitest's default leaves one idle
    // (available parallelism − 1), which ran the files one at a time.
    maxWorkers: 2,
  },
});
