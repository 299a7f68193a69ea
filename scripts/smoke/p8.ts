// Phase 8: test first, sandboxed. The real `orchestrator run` on the demo repository (package.json "test": node --test):
// the Test-writer's acceptance test fails (red, for the expected reason) in bubblewrap, the Builder writes the code, the
// tests pass (green); both runs are journaled and shown by `runs show --json`; the diff has the test and the code.
// Also: a failing change does not converge until fixed, `--sandbox none` warns and is recorded, a repository without a
// test command says so and runs without the Test-writer, and `sandbox check|test`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunTests, TestRunData, TestRunResult } from '@orchestrator/spec';
import { check, cli, finish, freshDataDir } from './smoke-helpers.ts';

const env = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ORCHESTRATOR_HOME: freshDataDir('p8') };
const runIdOf = (stdout: string) => /run (r-[a-z0-9]+)/.exec(stdout)?.[1] ?? '';
interface Summary {
  status?: string;
  tests?: RunTests;
  testRuns?: TestRunData[];
  turns?: Array<{ role: string; kind: string }>;
  diff?: string;
}
const show = (runId: string): Summary => {
  try {
    return JSON.parse(cli(['runs', 'show', runId, '--json'], env).stdout) as Summary;
  } catch {
    return {};
  }
};

// 1. Red, then green, on the demo repository.
const run = cli(['run', '--demo-repo', 'add a function with its test'], env);
console.log(run.stdout);
check('the run converges (exit 0)', run.status === 0, run.stderr.trim());
check(
  'in 4 turns (test-writer, builder, critic after the plan; p7 plants a bug and needs 6)',
  run.stdout.includes('CONVERGED after 4 turn'),
);
check('the test command is detected and shown', /tests: npm test \(node-test\) · sandbox bubblewrap/.test(run.stdout));
check(
  'the Test-writer writes the acceptance test before the Builder implements',
  /turn 2 test-writer test[\s\S]*turn 3 builder\s+implement/.test(run.stdout),
);
check(
  'red: the acceptance test fails for the expected reason, sandboxed',
  /red\s+npm test → exit 1 · .*valid red: (missing-target|assertion)/.test(run.stdout),
);
check('green: the tests pass after the change', /green npm test → exit 0 · \d+ passed, 0 failed/.test(run.stdout));
check(
  'the diff has the acceptance test and the code',
  run.stdout.includes('+++ b/test/slugify.acceptance.test.mjs') && run.stdout.includes('+export function slugify'),
);
const summary = show(runIdOf(run.stdout));
const phases = (summary.testRuns ?? []).map((testRun) => `${testRun.phase}:${testRun.exitCode}`);
check(
  'runs show --json has the baseline, red and green record',
  JSON.stringify(phases) === '["check:0","red:1","green:0"]',
  phases.join(', '),
);
const [, red, green] = summary.testRuns ?? [];
check(
  'the red record names the command, the verdict, the sandbox and a duration',
  red?.command === 'npm test' &&
    red.verdict?.expectedReason === true &&
    red.sandbox === 'bubblewrap' &&
    typeof red.durationMs === 'number',
  JSON.stringify(red ?? {}),
);
check('the green record is sandboxed', green?.sandbox === 'bubblewrap', JSON.stringify(green ?? {}));
check('the run-start records the sandbox and the command', summary.tests?.sandbox === 'bubblewrap');
check(
  'the final diff in the journal has both files',
  (summary.diff ?? '').includes('test/slugify.acceptance.test.mjs'),
);

// 1b. Delivered: the pull request holds the acceptance test and the code, and its provenance the red/green record.
const delivered = cli(['run', '--demo-repo', '--open-pr', 'add a function with its test'], env);
const pullRequest = /orchestrator pr show (\d+) --repo (\S+)/.exec(delivered.stdout);
check(
  'with --open-pr the run opens a pull request',
  delivered.status === 0 && pullRequest !== null,
  delivered.stderr.trim(),
);
if (pullRequest?.[1] && pullRequest[2]) {
  const where = [pullRequest[1], '--repo', pullRequest[2]];
  const prDiff = cli(['pr', 'diff', ...where], env).stdout;
  check(
    'the pull request contains the acceptance test and the code',
    prDiff.includes('test/slugify.acceptance.test.mjs') && prDiff.includes('+export function slugify'),
  );
  const body = cli(['pr', 'show', ...where], env).stdout;
  const block = /```orchestrator-provenance\n([\s\S]*?)\n```/.exec(body)?.[1];
  let recorded: Array<{ phase: string; exitCode: number; sandbox?: string }> = [];
  try {
    recorded = (JSON.parse(block ?? '{}') as { tests?: typeof recorded }).tests ?? [];
  } catch {}
  const redGreen = recorded.map((test) => `${test.phase}:${test.exitCode}:${test.sandbox ?? '?'}`);
  check(
    "the pull request's provenance carries the red and the green run, sandboxed",
    redGreen.includes('red:1:bubblewrap') && redGreen.includes('green:0:bubblewrap'),
    redGreen.join(', '),
  );
}

// 2. A change whose tests fail cannot converge: the Critic sees the failing output, the Builder fixes the code.
const buggy = cli(['run', '--demo-repo', 'add a function with its test', '--fault', 'builder:planted-bug'], env);
check(
  'a buggy implementation fails green, is revised, and converges once the tests pass',
  buggy.status === 0 &&
    /green npm test → exit 1[\s\S]*verdict revise[\s\S]*green npm test → exit 0[\s\S]*CONVERGED/.test(buggy.stdout),
);

// 3. The explicit opt-out: warned, recorded in the run-start and in every test run.
const optOut = cli(['run', '--demo-repo', 'add a function with its test', '--sandbox', 'none'], env);
const optOutSummary = show(runIdOf(optOut.stdout));
check(
  '--sandbox none warns on stderr',
  optOut.status === 0 && optOut.stderr.includes('Sandbox disabled (--sandbox none)'),
);
check(
  '--sandbox none is recorded in the journal (run-start and each test run)',
  optOutSummary.tests?.sandbox === 'none' &&
    (optOutSummary.testRuns ?? []).length === 3 &&
    (optOutSummary.testRuns ?? []).every((testRun) => testRun.sandbox === 'none'),
);

// 4. No test command: the run says so and proceeds without the Test-writer.
const bare = mkdtempSync(join(tmpdir(), 'orchestrator-p8-bare-'));
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(bare, path)), { recursive: true });
  writeFileSync(join(bare, path), content);
};
try {
  write('README.md', '# bare\n');
  write('src/index.js', "export const greeting = 'hello';\n");
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: bare,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'p8',
        GIT_AUTHOR_EMAIL: 'p8@localhost',
        GIT_COMMITTER_NAME: 'p8',
        GIT_COMMITTER_EMAIL: 'p8@localhost',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  const untested = cli(['run', 'add a function with its test', '--repo', bare], env);
  check(
    'without a test command the run says so and converges without the Test-writer',
    untested.status === 0 &&
      untested.stdout.includes('tests: none detected, no Test-writer') &&
      !/test-writer test/.test(untested.stdout),
    untested.stderr.trim(),
  );
  const untestedSummary = show(runIdOf(untested.stdout));
  check(
    'the journal records why no test ran',
    untestedSummary.tests?.command === undefined &&
      (untestedSummary.tests?.reason ?? '').includes('No test command found'),
  );

  // 5. The sandbox commands.
  const checked = cli(['sandbox', 'check', '--json'], env);
  const report = JSON.parse(checked.stdout || '{}') as { available?: boolean; network?: string };
  check('sandbox check: available, loopback only', report.available === true && report.network === 'loopback only');
  write('package.json', JSON.stringify({ name: 'bare', type: 'module', scripts: { test: 'node --test' } }));
  write('test/index.test.js', "import { test } from 'node:test';\ntest('ok', () => {});\n");
  const tested = cli(['sandbox', 'test', '--repo', bare, '--json'], env);
  const output = JSON.parse(tested.stdout || '{}') as { result?: TestRunResult };
  check('sandbox test --repo: passes, sandboxed', tested.status === 0 && output.result?.sandbox === 'bubblewrap');
} finally {
  rmSync(bare, { recursive: true, force: true });
}
finish('p8');
