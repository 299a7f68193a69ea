import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The hostile-input suite: a hostile repository, model or client against the real CLI, API, git and sandbox.
// Each test asserts that nothing escaped. Run on its own with `npm run test:hostile`; part of `npm run test:all`.
export default defineConfig({
  test: {
    include: ['test/hostile/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine, although most suites
    // wait on child processes (git, the sandbox, the CLI) rather than compute. One worker per core keeps both busy.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
