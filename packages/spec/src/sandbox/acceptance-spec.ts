import { z } from 'zod';
import type { TestFramework } from './test-framework.ts';

/** One example of the required behaviour: calling the function with `arguments` returns `expected`. */
export const acceptanceExampleSchema = z.strictObject({
  /** Positional arguments, as JSON values. */
  arguments: z.array(z.json()),
  /** The expected return value, as a JSON value (compared deeply). */
  expected: z.json(),
});
export type AcceptanceExample = z.infer<typeof acceptanceExampleSchema>;

/**
 * What the Test-writer derives from the task: enough to emit an acceptance test in any supported framework.
 * Validate model output with `acceptanceSpecSchema.parse` before generating.
 */
export const acceptanceSpecSchema = z.strictObject({
  /** The behaviour in one sentence; becomes the test's name. */
  description: z.string().min(1).max(200),
  /** The file that holds (or will hold) the function, relative to the worktree, e.g. `src/slugify.js`. */
  targetFile: z
    .string()
    .min(1)
    .refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), 'a relative path inside the worktree'),
  /** The function under test, e.g. `slugify`: an identifier in every supported language. */
  functionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier'),
  /** At least one example. */
  examples: z.array(acceptanceExampleSchema).min(1).max(50),
  /** Where to write the test; defaults per framework (e.g. `test/<function>.acceptance.test.mjs`). */
  testFile: z
    .string()
    .refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), 'a relative path inside the worktree')
    .optional(),
  /** Go: the package name of the target file's directory (defaults to the directory's name, `main` at the root). */
  goPackage: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  /** Rust: the crate name as used in `use` (`-` becomes `_`); required for cargo tests. */
  crateName: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/)
    .optional(),
});
export type AcceptanceSpec = z.input<typeof acceptanceSpecSchema>;

/** A generated acceptance test, ready to be proposed as a file edit and run. */
export interface AcceptanceTestFile {
  /** Path relative to the worktree. */
  path: string;
  /** File content. */
  content: string;
  /** The framework the test is written for. */
  framework: TestFramework;
}
