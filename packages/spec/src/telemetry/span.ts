/** What a span covers. A run contains turns, a turn contains steps, a step contains model calls. */
export type SpanKind = 'run' | 'turn' | 'step' | 'model-call';

/** Outcome of a span, as OpenTelemetry's status code: `unset` while open or when nothing went wrong or right. */
export type SpanStatus = 'ok' | 'error' | 'unset';

/** An attribute value; OpenTelemetry accepts the same primitive types. */
export type SpanAttributeValue = string | number | boolean;

/**
 * A span derived from a run's journal (never recorded separately, so it can never disagree with it). Ids are
 * deterministic: the same journal always yields the same spans, so re-exporting is idempotent.
 */
export interface Span {
  /** 32 lower-case hex digits, one per run. */
  traceId: string;
  /** 16 lower-case hex digits. */
  spanId: string;
  /** The enclosing span (absent for the run span). */
  parentSpanId?: string;
  /** Human-readable name, e.g. `run`, `turn 3`, `step architect/propose`, `model-call claude-sonnet-4-5`. */
  name: string;
  /** What the span covers. */
  kind: SpanKind;
  /** ISO-8601 start (the opening event's time). */
  startTime: string;
  /** ISO-8601 end; absent while the span is still open. */
  endTime?: string;
  /** Duration in milliseconds; absent while open. */
  durationMs?: number;
  /** Outcome. */
  status: SpanStatus;
  /** Journal seq of the opening event, to jump from a span to the events. */
  startSeq: number;
  /** Journal seq of the closing event, when closed. */
  endSeq?: number;
  /**
   * Attributes, named like OpenTelemetry's GenAI conventions where one exists: `orchestrator.role`,
   * `gen_ai.request.model`, `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`,
   * `orchestrator.cache_read_tokens`, `orchestrator.cache_write_tokens`, `orchestrator.cost_usd`,
   * `orchestrator.cached`, `orchestrator.error_code`.
   */
  attributes: Record<string, SpanAttributeValue>;
}
