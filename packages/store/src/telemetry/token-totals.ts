import type { ModelCallEndData, TokenTotals } from '@orchestrator/spec';

export function emptyTotals(): TokenTotals {
  return {
    calls: 0,
    failedCalls: 0,
    cachedCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
  };
}

/** Adds one ended model call to running totals (mutates `totals`). */
export function addCall(totals: TokenTotals, call: ModelCallEndData): void {
  totals.calls += 1;
  if (call.cached) totals.cachedCalls += 1;
  totals.inputTokens += call.usage.inputTokens;
  totals.outputTokens += call.usage.outputTokens;
  totals.cacheReadTokens += call.usage.cacheReadTokens;
  totals.cacheWriteTokens += call.usage.cacheWriteTokens;
  totals.reasoningTokens += call.usage.reasoningTokens;
  totals.costUsd = roundUsd(totals.costUsd + call.costUsd);
}

/** Adds `source` into `target` (mutates `target`). */
export function mergeTotals(target: TokenTotals, source: TokenTotals): void {
  target.calls += source.calls;
  target.failedCalls += source.failedCalls;
  target.cachedCalls += source.cachedCalls;
  target.inputTokens += source.inputTokens;
  target.outputTokens += source.outputTokens;
  target.cacheReadTokens += source.cacheReadTokens;
  target.cacheWriteTokens += source.cacheWriteTokens;
  target.reasoningTokens += source.reasoningTokens;
  target.costUsd = roundUsd(target.costUsd + source.costUsd);
}

/** Sums of float dollars drift (0.1 + 0.2); spend is reported to a millionth of a cent. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
