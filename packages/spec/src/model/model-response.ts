import type { ModelUsage } from './model-usage.ts';

/** Why the model stopped. `length` means it hit `maxOutputTokens` and the reply may be cut. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal' | 'other';

/** A tool call the model made. Structured output forced through a tool (Anthropic) also appears here. */
export interface ModelToolCall {
  /** The provider's id of the call (may be empty for OpenAI-compatible servers that omit it). */
  id: string;
  /** The tool (function) name. */
  name: string;
  /** The arguments: parsed JSON, or the raw string when they did not parse. */
  input: unknown;
}

/** The complete result of a model call. */
export interface ModelResponse {
  /** The text of the reply (for structured output, the JSON text of the object). */
  text: string;
  /** The parsed object when structured output was requested and the reply parsed as JSON; otherwise undefined. Not yet schema-validated. */
  object?: unknown;
  /** Tool calls in the reply, in order; omitted when there were none. Added additively in v1 (providers issue #4). */
  toolCalls?: readonly ModelToolCall[];
  /** Why generation stopped. */
  finishReason: FinishReason;
  /** Token usage. */
  usage: ModelUsage;
  /** The model id the provider reports having served (may be a dated snapshot of the requested alias). */
  modelId: string;
  /** The provider's request id, for support tickets. */
  providerRequestId?: string;
  /**
   * True when the provider did not report usage (or reported it cut short) and `usage` is the adapter's conservative
   * settlement (the full reservation, or a higher estimate that includes reasoning). Added additively in v1.
   */
  usageEstimated?: boolean;
  /**
   * What the adapter had to change or doubt, for the journal: options the model does not take (dropped), usage
   * clamped to the request's cap, estimated usage. Human-readable, free of secrets. Added additively in v1.
   */
  warnings?: readonly string[];
}

/** A part of a streamed reply. Named noun-verb; a stream ends with exactly one `finish` or `error`. */
export type ModelStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; response: ModelResponse }
  | { type: 'error'; error: unknown };
