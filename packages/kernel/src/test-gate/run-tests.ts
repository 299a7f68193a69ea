import {
  type FileEdit,
  type RedRunTarget,
  type RunTests,
  type TestFramework,
  type TestMessage,
  type TestRunData,
  type TestTools,
  testFrameworks,
  type Workspace,
} from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';
import { outputTail, outputTailWanted } from './output-tail.ts';
import { dropTestLeftovers, watchDiskQuota } from './test-leftovers.ts';

/** Characters of a run's output kept for prompts and the journal blob (the tail: failures are reported last). */
const maxOutputCharacters = 12_000;

/** The tests of a run whose command is known: they run after every applied edit batch. */
export type ActiveRunTests = RunTests & { command: string };

/** True when the run has a test command, so every change is tested (and the Test-writer may be asked). */
export function isTesting(tests: RunTests | undefined): tests is ActiveRunTests {
  return tests?.command !== undefined;
}

/** The framework recorded for the run, as the test tools know it (`unknown` for anything else). */
export function frameworkOf(tests: RunTests): TestFramework {
  const framework = tests.framework;
  return (testFrameworks as readonly string[]).includes(framework ?? '') ? (framework as TestFramework) : 'unknown';
}

/**
 * Decides at run start how the run tests its changes: the sandbox kind and the repository's test command (config
 * first, then detection in the worktree). Undefined when the runtime has no test tools (tests are then never run).
 */
export function detectRunTests(tools: TestTools | undefined, worktree: string): RunTests | undefined {
  if (tools === undefined) return undefined;
  const detection = tools.detectTestCommand(worktree);
  if (detection === undefined) {
    return {
      sandbox: tools.sandbox.kind,
      reason:
        'No test command found (package.json "test" script, pytest, go.mod, Cargo.toml, Makefile "test" target, or sandbox.testCommand): the run proceeds without the Test-writer and without test runs.',
    };
  }
  return {
    sandbox: tools.sandbox.kind,
    command: detection.command,
    framework: detection.framework,
    source: detection.source,
    reason: detection.reason,
  };
}

/** The edits a `test` message asks for: its acceptance spec rendered for the framework, then its direct edits. */
export function testEditsOf(message: TestMessage, tools: TestTools, tests: ActiveRunTests): FileEdit[] {
  const edits: FileEdit[] = [];
  if (message.acceptance !== undefined) {
    const file = tools.generateAcceptanceTest(message.acceptance, frameworkOf(tests));
    edits.push({ kind: 'create', path: file.path, content: file.content, overwrite: true });
  }
  return [...edits, ...(message.edits as FileEdit[])];
}

/**
 * The acceptance test files of a valid red whose content is known (rendered specs and created files) and that the
 * worktree no longer holds unchanged: an implementation must make the test pass, not edit or delete it.
 */
export async function changedAcceptanceFiles(
  message: TestMessage,
  tools: TestTools,
  tests: ActiveRunTests,
  workspace: Workspace,
): Promise<string[]> {
  const changed: string[] = [];
  for (const edit of testEditsOf(message, tools, tests)) {
    if (edit.kind !== 'create') continue;
    if ((await workspace.readFile(edit.path)) !== edit.content) changed.push(edit.path);
  }
  return changed;
}

/** What the red run of a `test` message must find missing: the acceptance spec's target, else the first planned file. */
export function redTargetOf(message: TestMessage, plannedFiles: readonly string[]): RedRunTarget {
  if (message.acceptance !== undefined) {
    return { targetFile: message.acceptance.targetFile, functionName: message.acceptance.functionName };
  }
  const target = plannedFiles.find((path) => !/(^|\/)(tests?|__tests__|spec)\/|[._-](test|spec)\./.test(path));
  return target === undefined ? {} : { targetFile: target };
}

function outputOf(command: string, stdout: string, stderr: string): string {
  const text = `$ ${command}\n${stdout.trimEnd()}\n${stderr.trimEnd()}`.trimEnd();
  return text.length <= maxOutputCharacters
    ? text
    : `[… earlier output dropped …]\n${text.slice(-maxOutputCharacters)}`;
}

/**
 * Runs the run's test command in the sandbox on the worktree and journals the `test-run` event (command, exit code,
 * summary, duration, sandbox, the red verdict, the output as a blob). Sandbox failures throw (the caller pauses).
 * Files the run left in the worktree are dropped and journaled (`test-leftovers`); more than the disk quota throws
 * `test-disk-quota` once they are removed.
 * Without a turn it is the baseline: the tests of the untouched worktree, which must pass before anything is changed.
 */
export async function runTestPhase(input: {
  tools: TestTools;
  tests: ActiveRunTests;
  workspace: Workspace;
  journal: RunJournal;
  phase: TestRunData['phase'];
  /** The turn whose edits are tested; absent for the baseline run before any change. */
  turn?: number;
  /** The step to journal the run in; absent for the baseline run. */
  stepId?: string;
  target?: RedRunTarget;
  /** What the run may write into the worktree, in bytes: no file may grow past it, nor all of them together. */
  diskQuotaBytes: number;
}): Promise<TestRunData> {
  const { tools, tests } = input;
  const framework = frameworkOf(tests);
  // Whatever the tests create, change or delete is put back afterwards: only the model's edits make the change.
  const snapshot = await input.workspace.snapshots?.snapshot();
  const controller = new AbortController();
  const stopWatching =
    snapshot === undefined
      ? () => {}
      : watchDiskQuota({ workspace: input.workspace, snapshot, quotaBytes: input.diskQuotaBytes, controller });
  let result: Awaited<ReturnType<TestTools['sandbox']['run']>>;
  try {
    result = await tools.sandbox.run(tests.command, {
      cwd: input.workspace.root,
      framework,
      maxFileBytes: input.diskQuotaBytes + 1,
      signal: controller.signal,
    });
  } finally {
    stopWatching();
  }
  if (snapshot !== undefined) {
    await dropTestLeftovers({
      workspace: input.workspace,
      snapshot,
      journal: input.journal,
      phase: input.phase,
      ...(input.turn === undefined ? {} : { turn: input.turn }),
      ...(input.stepId === undefined ? {} : { stepId: input.stepId }),
      quotaBytes: input.diskQuotaBytes,
    });
  }
  const verdict = input.phase === 'red' ? tools.classifyRedRun(result, framework, input.target ?? {}) : undefined;
  const described = tools.describeTestRun(result, input.phase, verdict);
  const outputSha256 = await input.journal.putBlob(outputOf(tests.command, result.stdout.text, result.stderr.text));
  const data: TestRunData = {
    ...described,
    sandbox: result.sandbox,
    ...(input.turn === undefined ? {} : { turn: input.turn }),
    ...(verdict === undefined
      ? {}
      : { verdict: { kind: verdict.kind, expectedReason: verdict.expectedReason, explanation: verdict.explanation } }),
    outputSha256,
    // A failing or unparsable run carries its last lines: the CLI, the console and the next prompt show them.
    ...(outputTailWanted(result.exitCode, result.summary !== null)
      ? { outputTail: outputTail(result.stdout.text, result.stderr.text) }
      : {}),
  };
  await input.journal.appendOne('test-run', data, input.stepId);
  return data;
}
