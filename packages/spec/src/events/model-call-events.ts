import { z } from 'zod';

/** Token usage, as in `ModelUsage`. */
export const modelUsageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
});

/** `model-call-start`: a model call is about to be made (its budget is reserved). */
export const modelCallStartDataSchema = z.strictObject({
  /** Unique id of the call within the run. */
  callId: z.string().min(1),
  role: z.string().min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  /** Blob sha256 of the request (system, messages, output schema, max tokens). */
  requestSha256: z.string().min(1),
  /** Output token cap of the call. */
  maxOutputTokens: z.number().int().positive(),
  /** USD reserved by the budget ledger for the worst case (0 when uncapped and unpriced). */
  reservedUsd: z.number().nonnegative(),
});
export type ModelCallStartData = z.infer<typeof modelCallStartDataSchema>;

/** `model-call-end`: the call returned; the reservation is settled at `costUsd`. */
export const modelCallEndDataSchema = z.strictObject({
  callId: z.string().min(1),
  role: z.string().min(1),
  provider: z.string().min(1),
  /** The model id the provider reports having served. */
  model: z.string().min(1),
  /** Blob sha256 of the response (text, object, finish reason, usage). */
  responseSha256: z.string().min(1),
  usage: modelUsageSchema,
  /** Real cost in USD (0 for unpriced or scripted models). */
  costUsd: z.number().nonnegative(),
  /** True when served from the response cache. */
  cached: z.boolean(),
  durationMs: z.number().nonnegative(),
});
export type ModelCallEndData = z.infer<typeof modelCallEndDataSchema>;

/** `model-call-error`: the call failed, or its reply stayed unusable after repair. */
export const modelCallErrorDataSchema = z.strictObject({
  callId: z.string().min(1),
  /** Stable error code, e.g. `model-call-rate-limited`, `model-output-invalid`. */
  code: z.string().min(1),
  /** Classification: a `ModelCallErrorKind`, or `not-json` / `wrong-schema` for malformed replies. */
  kind: z.string().min(1),
  /** Human-readable message, free of secrets. */
  message: z.string(),
});
export type ModelCallErrorData = z.infer<typeof modelCallErrorDataSchema>;
