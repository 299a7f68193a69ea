import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelUsage,
  OrchestratorError,
  redactSecrets,
} from '@orchestrator/spec';
import type { ModelPricing } from '../pricing/model-pricing.ts';
import { estimateTokens } from '../tokens/estimate-tokens.ts';

/** The one small call a ping makes. */
export const pingRequest: ModelRequest = {
  system: [{ text: 'You are a connectivity check. Reply with one short sentence.' }],
  messages: [{ role: 'user', content: 'Say hello.' }],
  maxOutputTokens: 64,
  context: { role: 'ping' },
};

/** What one provider ping found. */
export type PingOutcome = {
  provider: string;
  /** The model id asked for. */
  requestedModel: string;
  /** Worst-case USD reserved before the call (0 when unpriced). */
  reservedUsd: number;
  durationMs: number;
} & (
  | {
      ok: true;
      /** The model id the provider says it served. */
      modelId: string;
      usage: ModelUsage;
      /** USD of the call, or null when the model has no price. */
      costUsd: number | null;
      text: string;
    }
  | { ok: false; error: { code: string; kind: string; message: string; hint?: string } }
);

/** Makes the ping call and prices it. Never throws for provider failures: they are part of the outcome. */
export async function pingModel(
  port: ModelPort,
  pricing: ModelPricing,
  now: () => number = () => performance.now(),
): Promise<PingOutcome> {
  const identity = { provider: port.provider, requestedModel: port.modelId };
  const reservedUsd =
    pricing.worstCaseUsd({
      provider: port.provider,
      model: port.modelId,
      inputTokens: estimateTokens(pingRequest),
      maxOutputTokens: pingRequest.maxOutputTokens,
    }) ?? 0;
  const started = now();
  try {
    const response = await port.generate(pingRequest);
    const costUsd =
      pricing.costOfUsage({ provider: port.provider, model: response.modelId, usage: response.usage }) ??
      pricing.costOfUsage({ provider: port.provider, model: port.modelId, usage: response.usage }) ??
      null;
    return {
      ...identity,
      reservedUsd,
      durationMs: Math.max(0, now() - started),
      ok: true,
      modelId: response.modelId || port.modelId,
      usage: response.usage,
      costUsd,
      text: response.text,
    };
  } catch (error) {
    const code = OrchestratorError.isInstance(error) ? error.code : 'model-call-failed';
    const kind = ModelCallError.isModelCallError(error) ? error.kind : 'unknown';
    const message = error instanceof Error ? error.message : String(error);
    const hint = OrchestratorError.isInstance(error) ? error.hint : undefined;
    return {
      ...identity,
      reservedUsd,
      durationMs: Math.max(0, now() - started),
      ok: false,
      error: redactSecrets({ code, kind, message, ...(hint === undefined ? {} : { hint }) }),
    };
  }
}
