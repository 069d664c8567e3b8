import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that load the machine on their own (thousands of requests, 64 KiB results, killed and restarted stacks,
 * whole README runs): they run one at a time after the rest, so that no other file's timings share their load.
 */
const ALONE = [
  'test/e2e/hostile-input.test.ts',
  'test/e2e/maximal-input.test.ts',
  'test/e2e/crash-restart.test.ts',
  'test/e2e/readme-walkthrough.test.ts',
  'test/e2e/supervised-dynamodb-stack.test.ts',
  'test/integration/dynamodb-limits.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Two files at a time: vitest's default on 2 CPUs is one (availableParallelism - 1).
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
