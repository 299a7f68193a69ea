/**
 * Why a test run failed (or did not), as far as the runner's output tells.
 * - `assertion`: an assertion failed: the expected red.
 * - `missing-target`: the module or function under test does not exist yet: also an acceptable red.
 * - `passed`: the run passed, so the test does not capture the missing behaviour.
 * - `syntax-error`, `compile-error`: the test (or the code) does not even load.
 * - `missing-module`: an import of a module other than the target failed (a wrong path, an uninstalled package).
 * - `no-tests`: the runner found no test to run.
 * - `killed`: the sandbox ended the run (timeout, memory).
 * - `unknown`: a failure none of the rules recognised.
 */
export type RedRunKind =
  | 'assertion'
  | 'missing-target'
  | 'passed'
  | 'syntax-error'
  | 'compile-error'
  | 'missing-module'
  | 'no-tests'
  | 'killed'
  | 'unknown';

/** What the code under test is, so that its absence counts as an expected failure. */
export interface RedRunTarget {
  /** Path of the file the task creates or changes, relative to the worktree, e.g. `src/slugify.js`. */
  targetFile?: string;
  /** The function (or symbol) the acceptance test calls, e.g. `slugify`. */
  functionName?: string;
}

/** The verdict on a red run: did the test fail for the expected reason? */
export interface RedRunClassification {
  /** True only for `assertion` and `missing-target`. */
  expectedReason: boolean;
  /** The reason found. */
  kind: RedRunKind;
  /** One sentence for the journal, the Critic and the user. */
  explanation: string;
  /** The output line(s) the verdict rests on (bounded to 500 characters), or empty. */
  evidence: string;
}
