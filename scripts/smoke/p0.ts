// Phase 0: goals ADR exists; the dry-run plan prints roles, limits, gates, budget split and a cost range without any key.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const noKeys = {
  ANTHROPIC_API_KEY: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  ORCHESTRATOR_HOME: freshDataDir('p0'),
};

check('goals ADR exists', existsSync(join(repoRoot, 'docs/ADR-0001-orchestration-goals.md')));

const human = cli(['plan', '--dry-run', 'add a README section'], noKeys);
check('plan --dry-run exits 0 with no keys', human.status === 0, human.stderr.trim());
for (const part of [
  'architect',
  'builder',
  'critic',
  'test-writer',
  'reviewer',
  'Stop rules',
  'Gates',
  'Estimated cost',
]) {
  check(`plan mentions ${part}`, human.stdout.includes(part));
}

const json = cli(['plan', '--dry-run', 'add a README section', '--json', '--max-usd', '2'], noKeys);
let plan: { roles?: unknown[]; budget?: { maxUsd: number }; estimate?: { lowUsd: number; highUsd: number } } = {};
try {
  plan = JSON.parse(json.stdout);
} catch {}
check('plan --json is JSON with the five roles', Array.isArray(plan.roles) && plan.roles.length === 5);
check('plan --json carries the budget cap', plan.budget?.maxUsd === 2);
check('cost range is ordered', (plan.estimate?.lowUsd ?? -1) <= (plan.estimate?.highUsd ?? -2));

const badRepo = mkdtempSync(join(tmpdir(), 'orchestrator-badconfig-'));
writeFileSync(join(badRepo, 'orchestrator.config.json'), JSON.stringify({ limits: { maxTurns: 'many' } }));
const bad = cli(['plan', '--dry-run', 'x', '--repo', badRepo], noKeys);
check('malformed config exits 2', bad.status === 2, `exit ${bad.status}`);
check(
  'error names file, key and fix',
  bad.stderr.includes('orchestrator.config.json') && bad.stderr.includes('limits.maxTurns') && bad.stderr.includes('→'),
);

const help = cli(['--help']);
check('--help lists commands', help.status === 0 && help.stdout.includes('plan'));
finish('p0');
