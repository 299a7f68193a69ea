import { createHash } from 'node:crypto';
import type { JournalEvent, Span, SpanAttributeValue } from '@orchestrator/spec';
import { dataOf } from './known-event.ts';
import { roundUsd } from './token-totals.ts';

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Deterministic ids: re-deriving (or re-exporting) a run's spans never creates duplicates in a collector. */
export function traceIdOf(runId: string): string {
  return digest(`trace:${runId}`, 32);
}

function spanIdOf(runId: string, key: string): string {
  return digest(`span:${runId}:${key}`, 16);
}

function close(span: Span, at: string, seq: number): void {
  span.endTime = at;
  span.endSeq = seq;
  const duration = Date.parse(at) - Date.parse(span.startTime);
  span.durationMs = Number.isFinite(duration) ? Math.max(0, duration) : 0;
}

/**
 * Derives the run's spans from its journal: one per run, turn (steps sharing a turn number), step and model call,
 * each with its parent, times and attributes (role, model, tokens, cost, cache). Spans still open have no end.
 */
export function deriveSpans(events: readonly JournalEvent[]): Span[] {
  const first = events[0];
  if (first === undefined) return [];
  const runId = first.runId;
  const traceId = traceIdOf(runId);
  const spans: Span[] = [];
  const open = (key: string, name: string, kind: Span['kind'], event: JournalEvent, parent?: Span): Span => {
    const span: Span = {
      traceId,
      spanId: spanIdOf(runId, key),
      ...(parent === undefined ? {} : { parentSpanId: parent.spanId }),
      name,
      kind,
      startTime: event.at,
      status: 'unset',
      startSeq: event.seq,
      attributes: { 'orchestrator.run_id': runId },
    };
    spans.push(span);
    return span;
  };

  const run = open('run', 'run', 'run', first);
  const turns = new Map<number, Span>();
  const stepOccurrences = new Map<string, number>();
  const openSteps = new Map<string, Span>();
  const openCalls = new Map<string, Span>();
  const turnOfStep = new Map<Span, Span>();
  let runCost = 0;
  let runInput = 0;
  let runOutput = 0;

  for (const event of events) {
    switch (event.type) {
      case 'run-start': {
        const data = dataOf(event, 'run-start');
        if (data) {
          run.attributes['orchestrator.task'] = data.task;
          for (const [key, value] of Object.entries(data.labels)) run.attributes[`orchestrator.label.${key}`] = value;
        }
        break;
      }
      case 'step-start': {
        const data = dataOf(event, 'step-start');
        const stepId = event.stepId ?? `seq-${event.seq}`;
        const occurrence = (stepOccurrences.get(stepId) ?? 0) + 1;
        stepOccurrences.set(stepId, occurrence);
        let parent = run;
        if (data) {
          const existing = turns.get(data.turn);
          const turn = existing ?? open(`turn:${data.turn}`, `turn ${data.turn}`, 'turn', event, run);
          if (!existing) {
            turn.attributes['orchestrator.turn'] = data.turn;
            turn.attributes['orchestrator.role'] = data.role;
            turns.set(data.turn, turn);
          }
          parent = turn;
        }
        const name = data ? `step ${data.role}/${data.kind}` : `step ${stepId}`;
        const step = open(`step:${stepId}:${occurrence}`, name, 'step', event, parent);
        step.attributes['orchestrator.step_id'] = stepId;
        if (data) {
          step.attributes['orchestrator.role'] = data.role;
          step.attributes['orchestrator.turn'] = data.turn;
          step.attributes['orchestrator.step_kind'] = data.kind;
        }
        openSteps.set(stepId, step);
        if (parent !== run) turnOfStep.set(step, parent);
        break;
      }
      case 'step-end': {
        const step = event.stepId === undefined ? undefined : openSteps.get(event.stepId);
        if (!step) break;
        close(step, event.at, event.seq);
        const status = dataOf(event, 'step-end')?.status;
        step.status = status === 'failed' ? 'error' : 'ok';
        openSteps.delete(event.stepId!);
        const turn = turnOfStep.get(step);
        if (turn) {
          close(turn, event.at, event.seq);
          if (turn.status !== 'error') turn.status = step.status;
        }
        turnOfStep.delete(step);
        break;
      }
      case 'model-call-start': {
        const data = dataOf(event, 'model-call-start');
        if (!data) break;
        const parent = (event.stepId === undefined ? undefined : openSteps.get(event.stepId)) ?? run;
        const call = open(`call:${data.callId}`, `model-call ${data.model}`, 'model-call', event, parent);
        Object.assign(call.attributes, {
          'orchestrator.call_id': data.callId,
          'orchestrator.role': data.role,
          'gen_ai.system': data.provider,
          'gen_ai.request.model': data.model,
          'gen_ai.request.max_tokens': data.maxOutputTokens,
          'orchestrator.reserved_usd': data.reservedUsd,
          'orchestrator.request_sha256': data.requestSha256,
        } satisfies Record<string, SpanAttributeValue>);
        openCalls.set(data.callId, call);
        break;
      }
      case 'model-call-end': {
        const data = dataOf(event, 'model-call-end');
        if (!data) break;
        const call =
          openCalls.get(data.callId) ??
          open(`call:${data.callId}`, `model-call ${data.model}`, 'model-call', event, run);
        close(call, event.at, event.seq);
        call.status = 'ok';
        Object.assign(call.attributes, {
          'orchestrator.role': data.role,
          'gen_ai.response.model': data.model,
          'gen_ai.usage.input_tokens': data.usage.inputTokens,
          'gen_ai.usage.output_tokens': data.usage.outputTokens,
          'orchestrator.cache_read_tokens': data.usage.cacheReadTokens,
          'orchestrator.cache_write_tokens': data.usage.cacheWriteTokens,
          'orchestrator.reasoning_tokens': data.usage.reasoningTokens,
          'orchestrator.cost_usd': data.costUsd,
          'orchestrator.cached': data.cached,
          'orchestrator.provider_duration_ms': data.durationMs,
        } satisfies Record<string, SpanAttributeValue>);
        openCalls.delete(data.callId);
        runCost = roundUsd(runCost + data.costUsd);
        runInput += data.usage.inputTokens + data.usage.cacheReadTokens + data.usage.cacheWriteTokens;
        runOutput += data.usage.outputTokens;
        break;
      }
      case 'model-call-error': {
        const data = dataOf(event, 'model-call-error');
        const call = data === undefined ? undefined : openCalls.get(data.callId);
        if (!data || !call) break;
        close(call, event.at, event.seq);
        call.status = 'error';
        call.attributes['orchestrator.error_code'] = data.code;
        call.attributes['orchestrator.error_kind'] = data.kind;
        openCalls.delete(data.callId);
        break;
      }
      case 'run-end': {
        close(run, event.at, event.seq);
        const status = dataOf(event, 'run-end')?.status ?? 'failed';
        run.status = status === 'converged' ? 'ok' : status === 'failed' ? 'error' : 'unset';
        run.attributes['orchestrator.status'] = status;
        break;
      }
    }
  }
  run.attributes['orchestrator.cost_usd'] = runCost;
  run.attributes['gen_ai.usage.input_tokens'] = runInput;
  run.attributes['gen_ai.usage.output_tokens'] = runOutput;
  return spans;
}
