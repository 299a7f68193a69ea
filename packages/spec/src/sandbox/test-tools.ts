import type { TestRunData } from '../events/effect-events.ts';
import type { AcceptanceSpec, AcceptanceTestFile } from './acceptance-spec.ts';
import type { RedRunClassification, RedRunTarget } from './red-run-classification.ts';
import type { Sandbox } from './sandbox-port.ts';
import type { TestCommandDetection } from './test-command-detection.ts';
import type { TestFramework } from './test-framework.ts';
import type { TestRunResult } from './test-run-result.ts';

/**
 * Everything the kernel's Test-writer and Verifier need, injected by the composition root (the kernel imports only
 * spec). Implemented by `createTestTools` in packages/sandbox.
 */
export interface TestTools {
  /** The sandbox tests run in. */
  readonly sandbox: Sandbox;
  /** Finds the repository's test command (config override first); undefined when none is found. */
  detectTestCommand(repo: string): TestCommandDetection | undefined;
  /** Emits an acceptance test for the framework; throws `acceptance-spec-unsupported` for values it cannot express. */
  generateAcceptanceTest(spec: AcceptanceSpec, framework: TestFramework): AcceptanceTestFile;
  /** Decides whether a failing run failed for the expected reason. */
  classifyRedRun(result: TestRunResult, framework: TestFramework, target?: RedRunTarget): RedRunClassification;
  /** The `test-run` journal event's data for a run (exit code, one-line summary with the verdict and the opt-out). */
  describeTestRun(result: TestRunResult, phase: TestRunData['phase'], verdict?: RedRunClassification): TestRunData;
}
