import type { ModelRequest, ModelResponse, ModelUsage } from '@orchestrator/spec';
import { estimateTokens } from '../tokens/estimate-tokens.ts';

/** Usage as the provider reported it; a counter is `undefined` when the reply did not carry it. */
export interface ReportedUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
  reasoningTokens?: number | undefined;
}

export interface UsageSettlement {
  usage: ModelUsage;
  /** True when a counter was missing and the settlement is the adapter's conservative figure. */
  estimated: boolean;
  warnings: string[];
}

export interface SettleUsageInput {
  provider: string;
  request: ModelRequest;
  /** The output cap actually sent (the request's, lowered to the model's maximum when it had to be). */
  sentMaxOutputTokens: number;
  /** The usage the reply carried; `undefined` when it carried none. */
  reported: ReportedUsage | undefined;
  /** The model's context window, when known: no call can bill more input than this. */
  contextWindow?: number | undefined;
}

function count(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) ? undefined : Math.max(0, Math.floor(value));
}

/**
 * The usage a call is booked at. Never under-counted: a missing input count settles at the conservative estimate of
 * the prompt, a missing output count at the full output cap (the reservation; reasoning is part of output, so no
 * estimate of it can be higher). Never over the request's own bounds: a reply claiming more output than the cap sent
 * (or more input than the context window) is booked at that bound, and the anomaly is reported as a warning.
 */
export function settleUsage(input: SettleUsageInput): UsageSettlement {
  const warnings: string[] = [];
  const reported = input.reported;
  const cap = input.sentMaxOutputTokens;
  let inputTokens = count(reported?.inputTokens);
  let outputTokens = count(reported?.outputTokens);
  const cacheReadTokens = count(reported?.cacheReadTokens) ?? 0;
  const cacheWriteTokens = count(reported?.cacheWriteTokens) ?? 0;
  let reasoningTokens = count(reported?.reasoningTokens) ?? 0;
  let estimated = false;
  if (inputTokens === undefined) {
    inputTokens = Math.max(0, estimateTokens(input.request) - cacheReadTokens - cacheWriteTokens);
    estimated = true;
  }
  if (outputTokens === undefined) {
    outputTokens = cap;
    estimated = true;
  }
  if (estimated) {
    warnings.push(
      `usage-estimated: the ${input.provider} reply did not report ${reported === undefined ? 'usage' : 'all of its usage'}; booked at the reservation (${inputTokens} input, ${outputTokens} output tokens).`,
    );
  }
  if (outputTokens > cap) {
    warnings.push(
      `usage-clamped: the ${input.provider} reply claimed ${outputTokens} output tokens against a cap of ${cap}; booked at ${cap}.`,
    );
    outputTokens = cap;
  }
  if (reasoningTokens > outputTokens) reasoningTokens = outputTokens;
  const window = input.contextWindow;
  const totalInput = inputTokens + cacheReadTokens + cacheWriteTokens;
  if (window !== undefined && totalInput > window) {
    const excess = totalInput - window;
    warnings.push(
      `usage-clamped: the ${input.provider} reply claimed ${totalInput} input tokens, more than the ${window}-token context window; booked at ${window}.`,
    );
    inputTokens = Math.max(0, inputTokens - excess);
  }
  return {
    usage: { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens },
    estimated,
    warnings,
  };
}

/** A reply translated from the wire, before its usage is settled. */
export type ReplyDraft = Omit<ModelResponse, 'usage' | 'usageEstimated' | 'warnings'> & {
  reported: ReportedUsage | undefined;
};

/** The port response of a draft: usage settled (estimated or clamped when it must be), every warning attached. */
export function completeReply(
  draft: ReplyDraft,
  settle: Omit<SettleUsageInput, 'reported'>,
  warnings: readonly string[],
): ModelResponse {
  const { reported, ...response } = draft;
  const settled = settleUsage({ ...settle, reported });
  const all = [...warnings, ...settled.warnings];
  return {
    ...response,
    usage: settled.usage,
    ...(settled.estimated ? { usageEstimated: true } : {}),
    ...(all.length === 0 ? {} : { warnings: all }),
  };
}
