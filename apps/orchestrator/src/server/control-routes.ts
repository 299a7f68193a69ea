import {
  approvalBodySchema,
  editInstructionBodySchema,
  type JournalEvent,
  pauseRunBodySchema,
  rerunStepBodySchema,
  resumeRunBodySchema,
  startRunBodySchema,
} from '@orchestrator/spec';
import type { Hono } from 'hono';
import type { ApiAppOptions } from './api-app-options.ts';
import { ApiRequestError, parseJsonBody } from './api-errors.ts';
import { JournalRunControl } from './journal-run-control.ts';
import { exportRunSpans } from './otlp-span-export.ts';

/** Control events are recorded as made `by: 'api'`; the console and CLI go through the same endpoints. */
const by = 'api';

/** The write side: start a run, pause, resume, edit the instruction, re-run a step, decide an approval. */
export function addControlRoutes(app: Hono, options: ApiAppOptions): void {
  const control = new JournalRunControl(options.store);
  const recorded = async (runId: string, events: JournalEvent[]) => {
    await options.onControl?.(runId, events);
    return { events };
  };

  app.post('/api/runs', async (context) => {
    const body = await parseJsonBody(context, startRunBodySchema);
    if (options.launchRun === undefined) {
      throw new ApiRequestError(501, {
        code: 'run-start-unavailable',
        message: 'This server cannot start runs.',
        hint: 'Start runs with `orchestrator run`; this server only observes and controls them.',
      });
    }
    return context.json(await options.launchRun(body), 202);
  });

  app.post('/api/runs/:runId/pause', async (context) => {
    const body = await parseJsonBody(context, pauseRunBodySchema);
    const detail = body.detail ?? body.reason;
    const runId = context.req.param('runId');
    const events = await control.pause(runId, { by, ...(detail === undefined ? {} : { detail }) });
    return context.json(await recorded(runId, events));
  });

  app.post('/api/runs/:runId/resume', async (context) => {
    const body = await parseJsonBody(context, resumeRunBodySchema);
    const runId = context.req.param('runId');
    const events = await control.resume(runId, {
      by,
      ...(body.changes === undefined ? {} : { changes: body.changes }),
    });
    return context.json(await recorded(runId, events));
  });

  app.post('/api/runs/:runId/instruction', async (context) => {
    const body = await parseJsonBody(context, editInstructionBodySchema);
    const runId = context.req.param('runId');
    const events = await control.editInstruction(runId, { by, ...body });
    return context.json(await recorded(runId, events));
  });

  app.post('/api/runs/:runId/steps/:stepId/rerun', async (context) => {
    const body = await parseJsonBody(context, rerunStepBodySchema);
    const runId = context.req.param('runId');
    const events = await control.rerunStep(runId, context.req.param('stepId'), { by, ...body });
    return context.json(await recorded(runId, events));
  });

  app.post('/api/runs/:runId/approvals/:approvalId', async (context) => {
    const body = await parseJsonBody(context, approvalBodySchema);
    const runId = context.req.param('runId');
    const events = await control.decide(runId, context.req.param('approvalId'), { by, ...body });
    return context.json(await recorded(runId, events));
  });

  app.post('/api/runs/:runId/spans/export', async (context) => {
    const runId = context.req.param('runId');
    if (options.otlp === undefined) {
      throw new ApiRequestError(501, {
        code: 'otlp-not-configured',
        message: 'No OpenTelemetry collector is configured.',
        hint: 'Start the server with OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://127.0.0.1:4318) set.',
      });
    }
    if ((await options.store.getRun(runId)) === undefined) {
      throw new ApiRequestError(404, { code: 'run-not-found', message: `There is no run ${runId}.` });
    }
    return context.json(await exportRunSpans(options.store, runId, options.otlp));
  });
}
