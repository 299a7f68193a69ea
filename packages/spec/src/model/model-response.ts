import type { ModelUsage } from './model-usage.ts';

/** Why the model stopped. `length` means it hit `maxOutputTokens` and the reply may be cut. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal' | 'other';

/** The complete result of a model call. */
export interface ModelResponse {
  /** The text of the reply (for structured output, the JSON text of the object). */
  text: string;
  /** The parsed object when structured output was requested and the reply parsed as JSON; otherwise undefined. Not yet schema-validated. */
  object?: unknown;
  /** Why generation stopped. */
  finishReason: FinishReason;
  /** Token usage. */
  usage: ModelUsage;
  /** The model id the provider reports having served (may be a dated snapshot of the requested alias). */
  modelId: string;
  /** The provider's request id, for support tickets. */
  providerRequestId?: string;
}

/** A part of a streamed reply. Named noun-verb; a stream ends with exactly one `finish` or `error`. */
export type ModelStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; response: ModelResponse }
  | { type: 'error'; error: unknown };
