import { OrchestratorError } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { assertPricedForBudget, createModelPricing, findPrice } from '../src/pricing/model-pricing.ts';
import { costOfUsage, PriceTable } from '../src/pricing/price-table.ts';

const prices = PriceTable.bundled();
const usage = {
  inputTokens: 1_000_000,
  outputTokens: 100_000,
  cacheReadTokens: 2_000_000,
  cacheWriteTokens: 400_000,
  reasoningTokens: 0,
};

describe('pricing', () => {
  it('costs each kind of token at its own price', () => {
    const sonnet = prices.require('anthropic', 'claude-sonnet-4-5');
    // 1M input × $3 + 0.1M output × $15 + 2M cache reads × $0.30 + 0.4M cache writes × $3.75
    expect(costOfUsage(usage, sonnet)).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 10);
  });

  it('prices dated snapshots the providers report as their base model', () => {
    expect(findPrice(prices, 'openai', 'gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
    expect(findPrice(prices, 'anthropic', 'claude-haiku-4-5-20991231')?.model).toBe('claude-haiku-4-5');
    expect(findPrice(prices, 'openai', 'llama3.2')).toBeUndefined();
  });

  it('the worst case takes every input token at the dearer cache-write price plus the whole output cap', () => {
    const pricing = createModelPricing(prices);
    expect(
      pricing.worstCaseUsd({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        inputTokens: 1_000_000,
        maxOutputTokens: 1_000_000,
      }),
    ).toBeCloseTo(3.75 + 15, 10);
    expect(pricing.costOfUsage({ provider: 'openai', model: 'my-local-model', usage })).toBeUndefined();
  });

  it('with a budget cap an unpriced model is refused with a hint on how to add a price; without a cap it is allowed', () => {
    const bindings = [{ provider: 'openai', model: 'my-local-model' }];
    expect(() => assertPricedForBudget(prices, bindings, undefined)).not.toThrow();
    try {
      assertPricedForBudget(prices, bindings, 5);
      expect.unreachable();
    } catch (error) {
      expect(OrchestratorError.isInstance(error) && error.code).toBe('model-unpriced');
      expect((error as OrchestratorError).hint).toContain('"prices"');
    }
    expect(() => assertPricedForBudget(prices, [{ provider: 'scripted', model: 'anything' }], 5)).not.toThrow();
  });

  it('every bundled entry says when it was checked', () => {
    for (const entry of prices.entries) expect(entry.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
