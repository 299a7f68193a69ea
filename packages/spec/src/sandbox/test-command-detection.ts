import type { TestFramework } from './test-framework.ts';

/** Where a detected test command came from. */
export type TestCommandSource = 'config' | 'package.json' | 'pytest' | 'go.mod' | 'Cargo.toml' | 'Makefile';

/** The test command chosen for a repository, and why; shown in the plan and recorded in the journal. */
export interface TestCommandDetection {
  /** The shell command, run from the repository (worktree) root, e.g. `npm test` or `python -m pytest -q`. */
  command: string;
  /** The framework whose output the runner parses (`unknown` when only the exit code is meaningful). */
  framework: TestFramework;
  /** The file or setting the choice rests on. */
  source: TestCommandSource;
  /** One sentence saying why this command was chosen, e.g. `package.json has a "test" script; package-lock.json → npm`. */
  reason: string;
  /** For JavaScript repositories: the package manager picked from the lockfile. */
  packageManager?: 'npm' | 'pnpm' | 'yarn';
}
