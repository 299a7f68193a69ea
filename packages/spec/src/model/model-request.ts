/** A part of the system prompt. Stable parts marked `cacheable` let providers cache the prefix (Anthropic `cache_control`). */
export interface PromptPart {
  /** The text of this part. */
  text: string;
  /** True when this part (and everything before it) is stable across calls and worth caching. */
  cacheable?: boolean;
}

/** One turn of the conversation sent to the model. */
export interface ModelMessage {
  /** Who spoke. System instructions go in `ModelRequest.system`, never here. */
  role: 'user' | 'assistant';
  /** Plain text content. */
  content: string;
}

/** A JSON Schema (draft 2020-12 subset) the reply must satisfy when structured output is requested. */
export type JsonSchema = Record<string, unknown>;

/** Ask for a structured reply: the adapter uses the vendor's native mechanism (tool use, json_schema response format). */
export interface StructuredOutputRequest {
  /** Name of the object, e.g. `propose`; used as the tool or schema name. Matches /^[a-zA-Z0-9_-]{1,64}$/. */
  name: string;
  /** What the object is for; shown to the model. */
  description?: string;
  /** The JSON Schema the object must satisfy. */
  schema: JsonSchema;
}

/** Who is calling, for journaling, budgets and the scripted model. Never sent to the provider. */
export interface ModelCallContext {
  /** The run this call belongs to. */
  runId?: string;
  /** The step this call belongs to. */
  stepId?: string;
  /** The debate role making the call, e.g. `architect`. */
  role?: string;
  /** The user's task, verbatim (the scripted model plays from it). */
  task?: string;
}

/** A request to a model: the provider-neutral shape every adapter translates. */
export interface ModelRequest {
  /** System prompt parts, in order. */
  system: readonly PromptPart[];
  /** Conversation turns, alternating, starting with `user`. */
  messages: readonly ModelMessage[];
  /** Upper bound on output tokens; the budget ledger may have clamped it. */
  maxOutputTokens: number;
  /** Sampling temperature; omitted means the provider default. */
  temperature?: number;
  /** When set, the reply must be a JSON object matching this schema. */
  output?: StructuredOutputRequest;
  /** Aborts the call (and the stream) when signalled. */
  abortSignal?: AbortSignal;
  /** Caller context; not sent to the provider. */
  context?: ModelCallContext;
}
