import type { ModelUsage } from '@orchestrator/spec';

/**
 * How the kernel learns what a call costs, injected by the composition root (backed by the providers' price table,
 * which the kernel must not import). `undefined` means the model is unpriced.
 */
export interface PricingHook {
  /** USD of a call's real usage. */
  costOfUsage(input: { provider: string; model: string; usage: ModelUsage }): number | undefined;
  /** Worst-case USD of a call: counted input tokens at the input price plus max output tokens at the output price. */
  worstCaseUsd(input: {
    provider: string;
    model: string;
    inputTokens: number;
    maxOutputTokens: number;
  }): number | undefined;
  /** The model's context window in tokens, when known (prompts are packed to fit it). */
  contextWindow?(input: { provider: string; model: string }): number | undefined;
}

/** Pricing for offline runs: every call is free (the scripted model costs nothing). */
export const freePricing: PricingHook = {
  costOfUsage: () => 0,
  worstCaseUsd: () => 0,
};
