import type { TestTools } from '@orchestrator/spec';
import { classifyRedRun } from './classify-red-run.ts';
import { createSandbox, type SandboxOptions } from './create-sandbox.ts';
import { describeTestRun } from './describe-test-run.ts';
import { detectTestCommand } from './detect-test-command.ts';
import { generateAcceptanceTest } from './generate-acceptance-test.ts';

/** The `TestTools` the composition root injects into the kernel: a sandbox plus detection, templates and red checks. */
export function createTestTools(options: SandboxOptions = {}): TestTools {
  return {
    sandbox: createSandbox(options),
    detectTestCommand: (repo) => detectTestCommand(repo, { configured: options.testCommand }),
    generateAcceptanceTest,
    classifyRedRun,
    describeTestRun,
  };
}
