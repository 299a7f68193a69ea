import { defineConfig } from 'vitest/config';

// The hostile-input suite: a hostile repository, model or client against the real CLI, API, git and sandbox.
// Each test asserts that nothing escaped. Run on its own with `npm run test:hostile`; part of `npm run test:all`.
export default defineConfig({
  test: {
    include: ['test/hostile/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
