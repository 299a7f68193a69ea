import type { JournalStore } from '@orchestrator/spec';
import { exportRunSpans, type OtlpExportConfig } from './otlp-span-export.ts';

export interface SpanExportWatcherOptions {
  store: JournalStore;
  otlp: OtlpExportConfig;
  /** Only runs whose `run-end` is at or after this time are exported (runs ended before the server started are not). */
  since: string;
  /** How often to look for newly ended runs; 10 s by default. */
  intervalMs?: number;
  /** How many of the most recently updated runs to look at per tick; 50 by default. */
  recentRuns?: number;
  /** Reports an export failure (the run is retried on the next tick). */
  onError?: (runId: string, error: unknown) => void;
}

export interface SpanExportWatcher {
  /** Looks once for ended runs and exports them; resolves with the run ids exported. */
  tick(): Promise<string[]>;
  stop(): void;
}

/**
 * Exports each run's spans to the OpenTelemetry collector once the run has ended, when `orchestrator serve` runs with
 * OTLP configured. Older runs can be exported on demand with `POST /api/runs/:id/spans/export`.
 */
export function startSpanExportWatcher(options: SpanExportWatcherOptions): SpanExportWatcher {
  const exported = new Set<string>();
  let running: Promise<string[]> | undefined;
  const tick = async (): Promise<string[]> => {
    const done: string[] = [];
    const runs = await options.store.listRuns({ limit: options.recentRuns ?? 50 });
    for (const run of runs) {
      if (exported.has(run.runId) || run.updatedAt < options.since || run.lastSeq === 0) continue;
      const [last] = await options.store.read(run.runId, { afterSeq: run.lastSeq - 1 });
      if (last?.type !== 'run-end' || last.at < options.since) continue;
      try {
        await exportRunSpans(options.store, run.runId, options.otlp);
        exported.add(run.runId);
        done.push(run.runId);
      } catch (error) {
        options.onError?.(run.runId, error);
      }
    }
    return done;
  };
  const timer = setInterval(() => {
    running ??= tick()
      .catch(() => [])
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    tick: () => {
      running ??= tick().finally(() => {
        running = undefined;
      });
      return running;
    },
    stop: () => clearInterval(timer),
  };
}
