// Phase 7: claims, evidence and risks; the critique rubric; convergence held by an open high risk until its fix lands.
// 1. The Architect flags a risk it was not told about: the repository holds code that evaluates request input (put there
//    by this script); the static reviewer, which knows only its rules, reviews the code as it stands for the Architect's
//    context, and the proposal carries the finding as `risk high` with a concrete fix. The run cannot converge on it.
// 2. A planted Builder bug flagged by the Critic holds convergence until the fix lands; rubric, deadlock, stagnation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoRepoFiles } from '../../apps/orchestrator/src/compose/demo-repo.ts';
import { check, cli, finish, freshDataDir } from './smoke-helpers.ts';

const env = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ORCHESTRATOR_HOME: freshDataDir('p7') };
const runIdOf = (stdout: string) => /run (r-[a-z0-9]+)/.exec(stdout)?.[1] ?? '';

interface Summary {
  status?: string;
  turns?: Array<{
    kind: string;
    role: string;
    verdict?: string;
    risks: Array<{ id: string; severity: string; fix: string }>;
  }>;
  openRisks?: Array<{ id: string }>;
}
const summaryOf = (runId: string): Summary => {
  try {
    return JSON.parse(cli(['runs', 'show', runId, '--json'], env).stdout) as Summary;
  } catch {
    return {};
  }
};

// 1. The Architect's proposal carries the static reviewer's finding on the existing code.
const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p7-repo-'));
const files: Record<string, string> = {
  ...demoRepoFiles,
  'src/calculate.js': 'export function calculate(request) {\n  return eval(request.query.expression);\n}\n',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('-c', 'user.name=Smoke', '-c', 'user.email=smoke@localhost', 'commit', '-q', '-m', 'calculator');
const flagged = cli(['run', 'add a function with its test', '--repo', repo], env);
const flaggedSummary = summaryOf(runIdOf(flagged.stdout));
const proposal = flaggedSummary.turns?.[0];
const architectRisk = proposal?.risks.find((risk) => risk.severity === 'high' && risk.id.includes('review.eval'));
check(
  "the Architect's proposal carries the static reviewer's finding as risk high",
  proposal?.role === 'architect' && proposal.kind === 'propose' && architectRisk !== undefined,
  architectRisk?.id ?? JSON.stringify(proposal?.risks ?? []),
);
check(
  '… with a concrete fix naming the file and line',
  /^In src\/calculate\.js line 2: .*instead/.test(architectRisk?.fix ?? ''),
  architectRisk?.fix ?? 'no fix',
);
check(
  'the run does not converge while that risk is open',
  flagged.status === 5 &&
    !flagged.stdout.includes('CONVERGED') &&
    (flaggedSummary.openRisks ?? []).some((risk) => risk.id === architectRisk?.id),
  `exit ${flagged.status}, open: ${(flaggedSummary.openRisks ?? []).map((risk) => risk.id).join(', ')}`,
);

// 2. A planted bug in the Builder's first implementation, flagged by the Critic.
const run = cli(['run', '--demo-repo', 'add a function with its test', '--fault', 'builder:planted-bug'], env);
console.log(run.stdout);
check('the run with a planted bug exits 0', run.status === 0, run.stderr.trim());
const riskAt = run.stdout.indexOf('risk high [slugify-no-lowercase]');
check('the Critic flags the planted bug as risk high', riskAt > 0);
check('the risk carries a concrete fix', /fix: In src\/slugify\.js, call \.toLowerCase\(\)/.test(run.stdout));
// The demo repository has tests (`npm test`), so the Test-writer's failing acceptance test is turn 2 (phase 8).
check('the verdict is revise while the bug is open', /turn 4 critic[\s\S]*verdict revise/.test(run.stdout));
const fixAt = run.stdout.indexOf('resolves slugify-no-lowercase');
check(
  'the Builder applies the fix and resolves the risk afterwards',
  fixAt > riskAt && /turn 5 builder/.test(run.stdout),
);
check('no convergence until the fix: CONVERGED after 6 turns', run.stdout.includes('CONVERGED after 6 turn'));
check('the final diff has the fix', run.stdout.includes('+    .toLowerCase()'));

const show = cli(['runs', 'show', runIdOf(run.stdout), '--json'], env);
let summary: {
  turns?: Array<{ kind: string; verdict?: string; risks: Array<{ severity: string; fix: string }> }>;
  openRisks?: unknown[];
} = {};
try {
  summary = JSON.parse(show.stdout);
} catch {}
const verdicts = (summary.turns ?? []).filter((turn) => turn.kind === 'verify').map((turn) => turn.verdict);
check(
  'runs show: verdicts revise then accept',
  JSON.stringify(verdicts) === '["revise","accept"]',
  JSON.stringify(verdicts),
);
check('runs show: no open risk at the end', summary.openRisks?.length === 0);

const critique = cli(['run', '--demo-repo', 'add a README section', '--critique-proposals'], env);
check(
  'with --critique-proposals the Critic scores the proposal on the rubric first',
  critique.status === 0 &&
    /turn 2 critic\s+critique[\s\S]*rubric correctness \d, completeness \d, risk \d, tests \d, scope \d/.test(
      critique.stdout,
    ),
);
// Without the planted bug the same task converges in 4 turns: smoke p8 checks it on its first run.
const deadlock = cli(
  ['run', '--demo-repo', 'add a README section', '--fault', 'critic:always-reject', '--max-rejections', '1'],
  env,
);
check(
  'a Critic that always rejects pauses the run (deadlock)',
  deadlock.status === 5 && deadlock.stdout.includes('PAUSED (deadlock)'),
  `exit ${deadlock.status}: ${(deadlock.stdout.match(/^(PAUSED|CONVERGED).*$/m)?.[0] ?? deadlock.stderr.trim()).slice(0, 300)}`,
);
const stagnation = cli(['run', '--demo-repo', 'add a LICENSE file', '--fault', 'critic:always-revise'], env);
check(
  'the same diff twice in a row pauses the run (stagnation)',
  stagnation.status === 5 && stagnation.stdout.includes('PAUSED (stagnation)'),
  `exit ${stagnation.status}: ${(stagnation.stdout.match(/^(PAUSED|CONVERGED).*$/m)?.[0] ?? stagnation.stderr.trim()).slice(0, 300)}`,
);
finish('p7');
