import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CappedBudgetLedger } from '@orchestrator/kernel';
import { configSchema } from '@orchestrator/spec';
import { SqliteBudgetStore } from '@orchestrator/store';
import { InMemoryJournalStore } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { assertRolesPriced, cliPricing, prepareBudgetForResume, priceTableOf } from './budget-wiring.ts';

const bin = new URL('../bin.ts', import.meta.url).pathname;
const unpricedModel = { provider: 'openai', model: 'acme-finetune-7b' };

/** A repository whose config binds the Builder to a model no price table lists. */
function repoWithUnpricedBuilder(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-unpriced-'));
  writeFileSync(
    join(repo, 'orchestrator.config.json'),
    JSON.stringify({ roles: { builder: { ...unpricedModel, maxOutputTokens: 1024 } } }),
  );
  return repo;
}

function runCli(args: readonly string[], env: Record<string, string>) {
  const home = mkdtempSync(join(tmpdir(), 'orchestrator-unpriced-home-'));
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ORCHESTRATOR_HOME: home,
      DATABASE_URL: '',
      MAX_USD: '',
      ANTHROPIC_API_KEY: '',
      OPENAI_API_KEY: 'sk-test-not-used',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      NO_COLOR: '1',
      ...env,
    },
  });
  return { ...result, home };
}

describe('a budget cap with an unpriced model', () => {
  it('orchestrator run --max-usd refuses before the run starts, saying how to add a price', () => {
    const repo = repoWithUnpricedBuilder();
    const result = runCli(['run', 'add a README section', '--repo', repo, '--max-usd', '2', '--json'], {});
    expect(result.status).toBe(2);
    const error = (JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } }).error;
    expect(error.code).toBe('model-unpriced');
    expect(error.message).toContain('openai/acme-finetune-7b');
    expect(error.hint).toContain('"prices"');
    expect(error.hint).toContain('without a budget cap');
    // Refused before anything was journaled: no run was started.
    expect(readdirSync(result.home)).not.toContain('journal.db');
  });

  it('MAX_USD from the environment is a cap too', () => {
    const result = runCli(['run', 'add a README section', '--repo', repoWithUnpricedBuilder()], { MAX_USD: '3' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('[model-unpriced]');
  });

  it('a price under `prices` in the config makes the model usable under a cap', () => {
    const config = configSchema.parse({
      prices: [
        {
          ...unpricedModel,
          aliases: [],
          input: 1,
          output: 2,
          cacheWrite: 1,
          cacheRead: 0.1,
          contextWindow: 32_000,
          checkedAt: '2026-11-24',
        },
      ],
      budget: { maxUsd: 2 },
    });
    expect(() => assertRolesPriced(config, [unpricedModel])).not.toThrow();
    expect(() => assertRolesPriced(configSchema.parse({ budget: { maxUsd: 2 } }), [unpricedModel])).toThrow(
      expect.objectContaining({ code: 'model-unpriced' }),
    );
    const worstCase = cliPricing(priceTableOf(config)).worstCaseUsd({
      ...unpricedModel,
      inputTokens: 1_000_000,
      maxOutputTokens: 1_000_000,
    });
    expect(worstCase).toBeCloseTo(3, 9);
  });

  it('the scripted model is free whatever its faults, so offline runs can be capped', () => {
    const pricing = cliPricing(priceTableOf(configSchema.parse({})));
    const call = { provider: 'scripted', model: 'scripted-v1+planted-bug', inputTokens: 5000, maxOutputTokens: 4096 };
    expect(pricing.worstCaseUsd(call)).toBe(0);
    expect(() => assertRolesPriced(configSchema.parse({ budget: { maxUsd: 0.01 } }), [call])).not.toThrow();
  });
});

describe('prepareBudgetForResume', () => {
  const runStart = {
    type: 'run-start',
    data: { task: 't', repo: '/repo', labels: {}, roles: [], limits: {}, maxUsd: 0.01 },
  } as const;

  async function pausedRun() {
    const journal = new InMemoryJournalStore();
    await journal.createRun('r-1', {});
    await journal.append('r-1', [runStart]);
    const budget = SqliteBudgetStore.open(join(mkdtempSync(join(tmpdir(), 'orchestrator-resume-cap-')), 'journal.db'));
    const ledger = new CappedBudgetLedger({ store: budget, pricing: cliPricing(priceTableOf(configSchema.parse({}))) });
    return { journal, budget, ledger };
  }

  it('opens a run that crashed before its first call with the cap it started with, then raises it on request', async () => {
    const { journal, budget, ledger } = await pausedRun();
    try {
      expect(await prepareBudgetForResume(ledger, journal, 'r-1', undefined)).toBe(0.01);
      expect(await prepareBudgetForResume(ledger, journal, 'r-1', 5)).toBe(5);
    } finally {
      await budget.close();
    }
  });

  it('puts in force the cap a resume through the API recorded in the journal', async () => {
    const { journal, budget, ledger } = await pausedRun();
    try {
      await journal.append('r-1', [{ type: 'run-resume', data: { by: 'api', changes: { maxUsd: 2.5 } } }]);
      expect(await prepareBudgetForResume(ledger, journal, 'r-1', undefined)).toBe(2.5);
      expect(await prepareBudgetForResume(ledger, journal, 'r-unknown', 9)).toBeUndefined();
    } finally {
      await budget.close();
    }
  });
});
