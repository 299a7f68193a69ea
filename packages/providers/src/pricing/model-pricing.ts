import type { ModelUsage } from '@orchestrator/spec';
import { costOfUsage, type ModelPrice, type PriceTable } from './price-table.ts';

/** Prices calls for the kernel (structurally the kernel's `PricingHook`); `undefined` means the model is unpriced. */
export interface ModelPricing {
  /** USD of a call's real usage. */
  costOfUsage(input: { provider: string; model: string; usage: ModelUsage }): number | undefined;
  /** Worst case before the call: every input token at the dearer of input and cache-write price, plus the output cap. */
  worstCaseUsd(input: {
    provider: string;
    model: string;
    inputTokens: number;
    maxOutputTokens: number;
  }): number | undefined;
}

/** Dated snapshot suffixes: `-20250929`, `-2025-08-07`. */
const snapshotSuffix = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/** The price of a model id, also trying the id without its dated snapshot suffix. */
export function findPrice(prices: PriceTable, provider: string, model: string): ModelPrice | undefined {
  return prices.find(provider, model) ?? prices.find(provider, model.replace(snapshotSuffix, ''));
}

export function createModelPricing(prices: PriceTable): ModelPricing {
  return {
    costOfUsage: ({ provider, model, usage }) => {
      const price = findPrice(prices, provider, model);
      return price === undefined ? undefined : costOfUsage(usage, price);
    },
    worstCaseUsd: ({ provider, model, inputTokens, maxOutputTokens }) => {
      const price = findPrice(prices, provider, model);
      if (price === undefined) return undefined;
      return (inputTokens * Math.max(price.input, price.cacheWrite) + maxOutputTokens * price.output) / 1_000_000;
    },
  };
}

/**
 * With a budget cap, every bound model must be priced: refuses the first unpriced one with `model-unpriced`
 * (whose hint says how to add a price). Without a cap, unpriced models are allowed and cost 0.
 */
export function assertPricedForBudget(
  prices: PriceTable,
  bindings: ReadonlyArray<{ provider: string; model: string }>,
  maxUsd: number | undefined,
): void {
  if (maxUsd === undefined) return;
  for (const binding of bindings) {
    if (binding.provider === 'scripted') continue;
    if (findPrice(prices, binding.provider, binding.model) === undefined)
      prices.require(binding.provider, binding.model);
  }
}
