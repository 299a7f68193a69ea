import { defaultRoleBudgetShares } from '@orchestrator/kernel';
import type { ModelPrice, PriceTable } from '@orchestrator/providers';
import type { Config, TestCommandDetection } from '@orchestrator/spec';
import type { ResolvedRole } from '../config/resolve-roles.ts';

/** Token assumptions behind the estimate: a small focused change vs a large context at every turn. */
const assumptions = {
  low: { inputTokensPerTurn: 2_000, outputTokensPerTurn: 600, turns: 3 },
  high: {
    inputTokensPerTurn: 24_000,
    outputTokensPerTurn: undefined as number | undefined,
    turns: undefined as number | undefined,
  },
};

export interface PlannedRole {
  role: string;
  provider: string;
  model: string;
  source: 'config' | 'default';
  maxOutputTokens: number;
  priced: boolean;
  budgetShareUsd: number | null;
}

export interface DryRunPlan {
  task: string;
  repo: string;
  roles: PlannedRole[];
  loop: { order: string[]; maxTurns: number; maxRejections: number; maxRepairAttempts: number; maxMinutes: number };
  stopRules: string[];
  gates: Array<{ name: string; detail: string }>;
  budget: { maxUsd: number | null; cache: boolean };
  estimate: { lowUsd: number; highUsd: number; assumptions: string; unpricedModels: string[] };
  git: { branch: string; forge: string };
  warnings: string[];
}

function turnCost(price: ModelPrice | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}

export function slugify(task: string): string {
  return (
    task
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'task'
  );
}

/** Builds the plan of a run without calling any model: roles, limits, gates, budget split and a cost range. */
export function buildDryRunPlan(input: {
  task: string;
  repo: string;
  config: Config;
  roles: readonly ResolvedRole[];
  prices: PriceTable;
  /** The repository's detected (or configured) test command, when it has one. */
  tests?: TestCommandDetection | undefined;
}): DryRunPlan {
  const { config, roles, prices } = input;
  const maxUsd = config.budget.maxUsd ?? null;
  const warnings: string[] = [];
  const unpriced: string[] = [];
  const planned = roles.map((resolved): PlannedRole => {
    const price = prices.find(resolved.binding.provider, resolved.binding.model);
    if (!price) unpriced.push(`${resolved.binding.provider}/${resolved.binding.model}`);
    const share = defaultRoleBudgetShares[resolved.role];
    return {
      role: resolved.role,
      provider: resolved.binding.provider,
      model: resolved.binding.model,
      source: resolved.source,
      maxOutputTokens: resolved.binding.maxOutputTokens,
      priced: price !== undefined,
      // The share the ledger enforces (a role without one spends from the run's budget as a whole).
      budgetShareUsd: maxUsd === null || share === undefined ? null : round(maxUsd * share),
    };
  });
  if (unpriced.length > 0 && maxUsd !== null) {
    warnings.push(
      `No price for ${unpriced.join(', ')}: the run will be refused while a budget cap is set. Add a price or remove the cap.`,
    );
  }
  if (planned.every((role) => role.provider === 'scripted')) {
    warnings.push(
      'No provider key is set: every role uses the offline scripted model (set ANTHROPIC_API_KEY / OPENAI_API_KEY for real models).',
    );
  }
  let low = 0;
  let high = 0;
  const turnsHigh = config.limits.maxTurns;
  const perRoleTurnsHigh = Math.ceil(turnsHigh / Math.max(1, roles.length));
  for (const resolved of roles) {
    const price = prices.find(resolved.binding.provider, resolved.binding.model);
    low += turnCost(price, assumptions.low.inputTokensPerTurn, assumptions.low.outputTokensPerTurn);
    high += perRoleTurnsHigh * turnCost(price, assumptions.high.inputTokensPerTurn, resolved.binding.maxOutputTokens);
  }
  if (maxUsd !== null) high = Math.min(high, maxUsd);
  const sandbox = config.sandbox.kind === 'none' ? 'no sandbox (explicit opt-out)' : 'bubblewrap sandbox, no network';
  return {
    task: input.task,
    repo: input.repo,
    roles: planned,
    loop: {
      order: [
        'architect: propose',
        'test-writer: failing acceptance test (when a test command is found)',
        'builder: implement',
        'tests: red → green in the sandbox',
        'critic: verify',
      ],
      maxTurns: config.limits.maxTurns,
      maxRejections: config.limits.maxRejections,
      maxRepairAttempts: config.limits.maxRepairAttempts,
      maxMinutes: config.limits.maxMinutes,
    },
    stopRules: [
      `turn cap: pause after ${config.limits.maxTurns} turns`,
      maxUsd === null
        ? 'budget: no cap set (set MAX_USD or --max-usd)'
        : `budget: pause before spending more than $${maxUsd}, or before a role spends more than its share (above)`,
      'stagnation: pause when the same proposal or diff repeats',
      `deadlock: pause after ${config.limits.maxRejections} rejections in a row`,
      `malformed output: ${config.limits.maxRepairAttempts} repair attempt(s), then pause`,
    ],
    gates: [
      {
        name: 'tests',
        detail:
          input.tests === undefined
            ? 'no test command found (set sandbox.testCommand): no Test-writer, no red → green'
            : `${input.tests.command} in a ${sandbox} — ${input.tests.reason}; the Test-writer's acceptance test must fail first`,
      },
      { name: 'policy', detail: 'secrets, PII and licence scanners before commit, push and PR' },
      { name: 'review', detail: 'static security reviewer + model reviewer comments on the PR' },
      { name: 'approval', detail: 'human approval for changes a policy marks as risky' },
    ],
    budget: { maxUsd, cache: config.budget.cache },
    estimate: {
      lowUsd: round(low),
      highUsd: round(high),
      assumptions: `low: ${assumptions.low.turns} turns of ~${assumptions.low.inputTokensPerTurn} input / ${assumptions.low.outputTokensPerTurn} output tokens; high: ${turnsHigh} turns of ~${assumptions.high.inputTokensPerTurn} input tokens and each role's max output${maxUsd === null ? '' : ', capped at the budget'}`,
      unpricedModels: unpriced,
    },
    git: { branch: `${config.git.branchPrefix}<run-id>-${slugify(input.task)}`, forge: config.forge.kind },
    warnings,
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
