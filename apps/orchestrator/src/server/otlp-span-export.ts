import type { JournalStore, Span } from '@orchestrator/spec';
import { SystemError } from '@orchestrator/spec';
import { deriveSpans } from '@orchestrator/store';

export interface OtlpExportConfig {
  /** Full OTLP/HTTP traces URL, e.g. `http://127.0.0.1:4318/v1/traces`. */
  url: string;
  /** Extra request headers (collector auth); never logged. */
  headers?: Record<string, string>;
  /** `service.name` resource attribute; `orchestrator` by default. */
  serviceName?: string;
}

/**
 * The OTLP traces URL from the standard OpenTelemetry variables, or undefined when export is not configured:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/traces`).
 */
export function otlpConfigFromEnv(env: NodeJS.ProcessEnv): OtlpExportConfig | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return { url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base) return { url: `${base.replace(/\/$/, '')}/v1/traces` };
  return undefined;
}

export interface OtlpExportResult {
  /** Spans sent (closed spans only). */
  exported: number;
  /** Spans still open, not sent (export the run again once it ended; span ids are stable). */
  open: number;
}

/**
 * Sends spans to an OpenTelemetry collector with the official OTLP/HTTP exporter. The OpenTelemetry packages load
 * only when export is used, so the feature costs nothing unless configured.
 */
export async function exportSpansOtlp(spans: readonly Span[], config: OtlpExportConfig): Promise<OtlpExportResult> {
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, core, api] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/api'),
  ]);
  type ReadableSpan = import('@opentelemetry/sdk-trace-base').ReadableSpan;
  const resource = resourceFromAttributes({ 'service.name': config.serviceName ?? 'orchestrator' });
  const instrumentationScope = { name: '@orchestrator/store', version: '1' };
  const statusCode = { ok: api.SpanStatusCode.OK, error: api.SpanStatusCode.ERROR, unset: api.SpanStatusCode.UNSET };
  const closed = spans.filter((span) => span.endTime !== undefined);
  const readable: ReadableSpan[] = closed.map((span) => {
    const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: api.TraceFlags.SAMPLED };
    const startTime = core.millisToHrTime(Date.parse(span.startTime));
    const endTime = core.millisToHrTime(Date.parse(span.endTime!));
    return {
      name: span.name,
      kind: span.kind === 'model-call' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL,
      spanContext: () => context,
      ...(span.parentSpanId === undefined
        ? {}
        : {
            parentSpanContext: { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: api.TraceFlags.SAMPLED },
          }),
      startTime,
      endTime,
      duration: core.hrTimeDuration(startTime, endTime),
      status: { code: statusCode[span.status] },
      attributes: { ...span.attributes, 'orchestrator.span_kind': span.kind },
      links: [],
      events: [],
      ended: true,
      resource,
      instrumentationScope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
  const exporter = new OTLPTraceExporter({ url: config.url, ...(config.headers ? { headers: config.headers } : {}) });
  try {
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(readable, resolve));
    if (result.code !== core.ExportResultCode.SUCCESS) {
      throw new SystemError({
        code: 'otlp-export-failed',
        message: `The OpenTelemetry collector at ${new URL(config.url).origin} did not accept the spans: ${result.error?.message ?? 'unknown error'}.`,
        hint: 'Check that the collector runs and OTEL_EXPORTER_OTLP_ENDPOINT points at its OTLP/HTTP port (4318).',
        cause: result.error,
      });
    }
  } finally {
    await exporter.shutdown();
  }
  return { exported: readable.length, open: spans.length - readable.length };
}

/** Derives a run's spans from its journal and exports them. */
export async function exportRunSpans(
  store: JournalStore,
  runId: string,
  config: OtlpExportConfig,
): Promise<OtlpExportResult> {
  return exportSpansOtlp(deriveSpans(await store.read(runId)), config);
}
