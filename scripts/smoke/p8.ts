// Phase 8: a failing acceptance test first (red, for the expected reason), then the change, then green — all sandboxed.
// Drives packages/sandbox directly until the kernel's Test-writer flow lands; the CLI part checks `sandbox check|test`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { classifyRedRun, createSandbox, detectTestCommand, generateAcceptanceTest } from '@orchestrator/sandbox';
import type { TestRunResult } from '@orchestrator/spec';
import { check, cli, finish, freshDataDir } from './smoke-helpers.ts';

const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p8-repo-'));
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
};
/** The `test-run` journal event's data. */
const record = (phase: 'red' | 'green', result: TestRunResult) => ({
  phase,
  command: result.command,
  exitCode: result.exitCode,
  summary: result.summary,
  durationMs: result.durationMs,
  sandbox: result.sandbox,
});

try {
  write('package.json', JSON.stringify({ name: 'sample', type: 'module', scripts: { test: 'node --test' } }, null, 2));
  write('package-lock.json', '{"lockfileVersion": 3}\n');
  write('src/index.js', "export const greeting = 'hello';\n");

  const detection = detectTestCommand(repo);
  check('test command detected', detection?.command === 'npm test', detection?.reason ?? 'none');
  const framework = detection?.framework ?? 'unknown';

  const spec = {
    description: 'slugify lower-cases words and joins them with dashes',
    targetFile: 'src/slugify.js',
    functionName: 'slugify',
    examples: [
      { arguments: ['Hello World'], expected: 'hello-world' },
      { arguments: ['  Red  Green  '], expected: 'red-green' },
    ],
  };
  const acceptance = generateAcceptanceTest(spec, framework);
  write(acceptance.path, acceptance.content);
  check('acceptance test generated', acceptance.path === 'test/slugify.acceptance.test.mjs', acceptance.path);

  const sandbox = createSandbox({ kind: 'bubblewrap', timeoutSeconds: 120 });
  write('src/slugify.js', 'export function slugify(text) {\n  return text;\n}\n');
  const red = await sandbox.run(detection?.command ?? 'npm test', { cwd: repo, framework });
  const verdict = classifyRedRun(red, framework, { targetFile: spec.targetFile, functionName: spec.functionName });
  console.log('red record:', JSON.stringify(record('red', red)));
  check('red: the acceptance test fails sandboxed', red.exitCode !== 0 && red.sandbox === 'bubblewrap');
  check('red: for the expected reason', verdict.expectedReason && verdict.kind === 'assertion', verdict.evidence);

  write(
    'src/slugify.js',
    "export function slugify(text) {\n  return text.trim().toLowerCase().split(/\\s+/).join('-');\n}\n",
  );
  const green = await sandbox.run(detection?.command ?? 'npm test', { cwd: repo, framework });
  console.log('green record:', JSON.stringify(record('green', green)));
  check('green: the tests pass after the change', green.exitCode === 0 && green.summary?.failed === 0);

  const env = { ORCHESTRATOR_HOME: freshDataDir('p8') };
  const checked = cli(['sandbox', 'check', '--json'], env);
  const report = JSON.parse(checked.stdout || '{}') as { available?: boolean; network?: string };
  check('sandbox check: available, loopback only', report.available === true && report.network === 'loopback only');
  const tested = cli(['sandbox', 'test', '--repo', repo, '--json'], env);
  const output = JSON.parse(tested.stdout || '{}') as { result?: TestRunResult };
  check('sandbox test --repo: passes, sandboxed', tested.status === 0 && output.result?.sandbox === 'bubblewrap');
} finally {
  rmSync(repo, { recursive: true, force: true });
}
finish('p8');
