import { PriceTable } from '@orchestrator/providers';
import { configSchema } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { resolveRoles } from '../config/resolve-roles.ts';
import { buildDryRunPlan, slugify } from './dry-run-plan.ts';

const allRoles = ['architect', 'builder', 'critic', 'test-writer', 'reviewer'] as const;

function plan(config: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const parsed = configSchema.parse(config);
  return buildDryRunPlan({
    task: 'Add JWT auth to the API!',
    repo: '/repo',
    config: parsed,
    roles: resolveRoles(parsed, env, allRoles),
    prices: PriceTable.bundled(parsed.prices),
  });
}

describe('buildDryRunPlan', () => {
  it('splits the whole cap across the roles and keeps the high estimate within it', () => {
    const result = plan({ budget: { maxUsd: 2 } }, { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'b' });
    const shares = result.roles.map((role) => role.budgetShareUsd ?? 0);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(2);
    expect(result.estimate.lowUsd).toBeGreaterThan(0);
    expect(result.estimate.lowUsd).toBeLessThanOrEqual(result.estimate.highUsd);
    expect(result.estimate.highUsd).toBeLessThanOrEqual(2);
    expect(result.roles.find((role) => role.role === 'architect')?.provider).toBe('anthropic');
    expect(result.warnings).toEqual([]);
  });

  it('warns that an unpriced model will be refused under a cap, and says how', () => {
    const result = plan(
      { budget: { maxUsd: 1 }, roles: { builder: { provider: 'openai', model: 'my-local-llama' } } },
      { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' },
    );
    expect(result.estimate.unpricedModels).toEqual(['openai/my-local-llama']);
    expect(result.warnings.join('\n')).toMatch(/No price for openai\/my-local-llama.*refused.*Add a price/);
  });

  it('prices a model from the configuration', () => {
    const price = {
      provider: 'openai',
      model: 'my-local-llama',
      input: 0,
      output: 0,
      cacheWrite: 0,
      cacheRead: 0,
      contextWindow: 32000,
      checkedAt: '2026-11-24',
    };
    const result = plan(
      { budget: { maxUsd: 1 }, prices: [price], roles: { builder: { provider: 'openai', model: 'my-local-llama' } } },
      {},
    );
    expect(result.estimate.unpricedModels).toEqual([]);
  });

  it('names the branch after the task', () => {
    expect(slugify('Add JWT auth to the API!')).toBe('add-jwt-auth-to-the-api');
    expect(plan({}, {}).git.branch).toBe('orchestrator/<run-id>-add-jwt-auth-to-the-api');
  });
});
