import type {
  RedRunClassification,
  TestCommandDetection,
  TestRunData,
  TestRunResult,
  TestTools,
} from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes (in-memory workspace).
import type { InMemoryWorkspaceProvider } from '@orchestrator/testing';

/** How the fake runner judges the worktree: exit code and output for its files. */
export type FakeJudge = (files: Record<string, string>) => { exitCode: number; output: string };

/** Fails with a missing module until src/slugify.js exists, then on an assertion until it lower-cases. */
export const slugifyJudge: FakeJudge = (files) => {
  const acceptance = files['test/slugify.acceptance.test.mjs'];
  const source = files['src/slugify.js'];
  if (acceptance === undefined) return { exitCode: 0, output: '# pass 1\n# fail 0' };
  if (source === undefined) {
    return { exitCode: 1, output: "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/repo/src/slugify.js'\n# fail 1" };
  }
  if (!source.includes('.toLowerCase()')) {
    return { exitCode: 1, output: "AssertionError [ERR_ASSERTION]: 'ello-orld' !== 'hello-world'\n# pass 1\n# fail 1" };
  }
  return { exitCode: 0, output: '# pass 2\n# fail 0' };
};

/**
 * Test tools over the in-memory workspaces: "runs" the tests by judging the worktree's files, classifies a red the
 * way the real classifier does for these outputs, renders acceptance specs as a small file. Records every command.
 */
export function fakeTestTools(
  workspaces: InMemoryWorkspaceProvider,
  options: { judge?: FakeJudge; detection?: TestCommandDetection | undefined; sandbox?: 'bubblewrap' | 'none' } = {},
): TestTools & { runs: string[] } {
  const judge = options.judge ?? slugifyJudge;
  const runs: string[] = [];
  const detection =
    'detection' in options
      ? options.detection
      : {
          command: 'npm test',
          framework: 'node-test' as const,
          source: 'package.json' as const,
          reason: 'package.json has a "test" script',
        };
  return {
    runs,
    sandbox: {
      specificationVersion: 'v1',
      kind: options.sandbox ?? 'bubblewrap',
      async run(command, runOptions): Promise<TestRunResult> {
        const workspace = [...workspaces.workspaces.values()].find((entry) => entry.root === runOptions.cwd);
        if (workspace === undefined) throw new Error(`no workspace at ${runOptions.cwd}`);
        runs.push(command);
        const { exitCode, output } = judge(workspace.snapshot());
        return {
          specificationVersion: 'v1',
          command,
          cwd: runOptions.cwd,
          sandbox: options.sandbox ?? 'bubblewrap',
          exitCode,
          signal: null,
          timedOut: false,
          killed: null,
          processLimitHit: false,
          durationMs: 5,
          stdout: { text: output, bytes: output.length, truncated: false },
          stderr: { text: '', bytes: 0, truncated: false },
          summary: null,
          limits: {
            wallTimeMs: 1000,
            memory: { bytes: 1, mechanism: 'cgroup' },
            processes: { max: 1, mechanism: 'cgroup' },
            outputBytes: 1,
          },
          warnings: [],
        };
      },
    },
    detectTestCommand: () => detection,
    generateAcceptanceTest: (spec, framework) => ({
      path: spec.testFile ?? `test/${spec.functionName}.acceptance.test.mjs`,
      content: `// ${framework}: ${spec.description}\nimport { ${spec.functionName} } from '../${spec.targetFile}';\n`,
      framework,
    }),
    classifyRedRun(result, _framework, target = {}): RedRunClassification {
      const output = result.stdout.text;
      if (result.exitCode === 0) return { expectedReason: false, kind: 'passed', explanation: 'passed', evidence: '' };
      if (/SyntaxError/.test(output)) {
        return { expectedReason: false, kind: 'syntax-error', explanation: 'does not load', evidence: output };
      }
      if (target.targetFile !== undefined && output.includes(`Cannot find module '/repo/${target.targetFile}'`)) {
        return { expectedReason: true, kind: 'missing-target', explanation: 'target missing', evidence: output };
      }
      return { expectedReason: true, kind: 'assertion', explanation: 'assertion', evidence: output };
    },
    describeTestRun(result, phase, verdict): TestRunData {
      const verdictText =
        verdict === undefined ? '' : `; ${verdict.expectedReason ? 'valid' : 'invalid'} red: ${verdict.kind}`;
      return {
        phase,
        command: result.command,
        exitCode: result.exitCode ?? 137,
        summary: `${result.exitCode === 0 ? 'passed' : 'failed'}${verdictText}`,
        durationMs: result.durationMs,
      };
    },
  };
}
