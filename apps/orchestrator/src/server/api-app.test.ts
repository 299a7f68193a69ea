import type { JournalStore } from '@orchestrator/spec';
import { SqliteJournalStore } from '@orchestrator/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../../../packages/store/test/sample-run-events.ts';
import { createApiApp } from './create-api-app.ts';

const token = 'test-token-0123456789abcdefghijklmnopqrstuv';
let store: JournalStore;
let app: ReturnType<typeof createApiApp>;

async function seedRun(runId: string, options: Parameters<typeof sampleRunEvents>[0] = {}): Promise<void> {
  const { events, prompts } = sampleRunEvents(options);
  for (const prompt of prompts) await store.putBlob(prompt);
  await store.createRun(runId, { feature: options.feature ?? 'health-endpoint' });
  await store.append(runId, events);
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON bodies.
async function json(response: Response): Promise<any> {
  return response.json();
}

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

beforeEach(() => {
  store = SqliteJournalStore.open(':memory:');
  app = createApiApp({ store, token });
});
afterEach(async () => {
  await store.close();
});

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a malformed header', { authorization: 'Basic abc' }],
  ])('answers 401 with a JSON code to a request with %s', async (_label, headers) => {
    const response = await app.request('/api/runs', { headers });
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ error: { code: 'api-unauthorized' } });
  });

  it('answers 401 even for unknown routes, and 404 JSON once authenticated', async () => {
    expect((await app.request('/nowhere')).status).toBe(401);
    const response = await call('GET', '/nowhere');
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ error: { code: 'api-route-not-found' } });
  });
});

describe('read endpoints', () => {
  beforeEach(async () => {
    await seedRun('run-auth-1', { turns: 8, feature: 'auth', withRateLimit: true });
    await seedRun('run-auth-2', { turns: 4, feature: 'auth' });
    await seedRun('run-billing', { turns: 2, feature: 'billing', end: false });
  });

  it('lists runs newest first with status, task and spend', async () => {
    const { runs } = await json(await call('GET', '/api/runs'));
    expect(runs.map((run: { runId: string }) => run.runId)).toEqual(['run-billing', 'run-auth-2', 'run-auth-1']);
    expect(runs[0]).toMatchObject({ status: 'running', task: 'add a /health endpoint to the API', maxUsd: 5 });
    expect(runs[2].status).toBe('converged');
    expect(runs[2].spendUsd).toBeGreaterThan(0);
    const filtered = await json(await call('GET', '/api/runs?label=feature:billing'));
    expect(filtered.runs.map((run: { runId: string }) => run.runId)).toEqual(['run-billing']);
  });

  it('serves the timeline with token totals and the top-3 costliest prompts and their text', async () => {
    const timeline = await json(await call('GET', '/api/runs/run-auth-1/timeline'));
    const events = await store.read('run-auth-1');
    expect(timeline.entries).toHaveLength(events.length);
    expect(timeline.totals).toMatchObject({ calls: 8, failedCalls: 1 });
    expect(timeline.costliestPrompts).toHaveLength(3);
    expect(timeline.costliestPrompts[0].promptPreview).toMatch(/^System: you are the /);
    expect(timeline.costliestPrompts[0].costUsd).toBeGreaterThanOrEqual(timeline.costliestPrompts[2].costUsd);
  });

  it('keeps the timeline current as the run grows', async () => {
    const before = await json(await call('GET', '/api/runs/run-billing/timeline?limit=2'));
    expect(before.entries.map((entry: { seq: number }) => entry.seq)).toEqual([1, 2]);
    const [paused] = await store.append('run-billing', [
      { type: 'run-pause', data: { reason: 'budget', detail: 'cap' } },
    ]);
    const after = await json(await call('GET', `/api/runs/run-billing/timeline?after=${paused!.seq - 1}`));
    expect(after).toMatchObject({ status: 'paused', pauseReason: 'budget', totals: before.totals });
    expect(after.entries).toEqual([expect.objectContaining({ seq: paused!.seq, summary: 'paused (budget): cap' })]);
    const runs = await json(await call('GET', '/api/runs?label=feature:billing'));
    expect(runs.runs[0]).toMatchObject({ status: 'paused', lastSeq: paused!.seq });
  });

  it('serves run detail, events pages and spans', async () => {
    const detail = await json(await call('GET', '/api/runs/run-billing'));
    expect(detail).toMatchObject({ run: { runId: 'run-billing' }, control: { status: 'running' } });
    const page = await json(await call('GET', '/api/runs/run-auth-2/events?after=3&limit=2'));
    expect(page.events.map((event: { seq: number }) => event.seq)).toEqual([4, 5]);
    const { spans } = await json(await call('GET', '/api/runs/run-auth-2/spans'));
    expect(spans[0]).toMatchObject({ kind: 'run', status: 'ok' });
    expect(spans.filter((span: { kind: string }) => span.kind === 'model-call')).toHaveLength(4);
  });

  it('reports spend per feature and the error catalog', async () => {
    const spend = await json(await call('GET', '/api/spend'));
    expect(spend.features.map((row: { key: string }) => row.key)).toEqual(['auth', 'billing']);
    expect(spend.features[0]).toMatchObject({ runs: 2, calls: 12 });
    const catalog = await json(await call('GET', '/api/errors'));
    expect(catalog.entries).toEqual([
      expect.objectContaining({ code: 'model-call-rate-limited', count: 1, exampleRunId: 'run-auth-1' }),
    ]);
    expect(catalog.entries[0].remediation).toMatch(/throttled/);
  });

  it('answers 404 with a code for an unknown run and 400 naming a bad parameter', async () => {
    const missing = await call('GET', '/api/runs/nope/timeline');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ error: { code: 'run-not-found' } });
    const bad = await call('GET', '/api/runs/run-auth-1/events?after=-1');
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ error: { code: 'api-parameter-invalid', field: 'after' } });
  });
});

describe('control endpoints', () => {
  beforeEach(async () => {
    await seedRun('run-live', { turns: 2, end: false });
  });

  it('pauses a running run by appending run-pause, and refuses to pause it twice', async () => {
    const response = await call('POST', '/api/runs/run-live/pause', { reason: 'checking the plan' });
    expect(response.status).toBe(200);
    const last = (await store.read('run-live')).at(-1);
    expect(last).toMatchObject({ type: 'run-pause', data: { reason: 'operator', detail: 'checking the plan' } });
    const again = await call('POST', '/api/runs/run-live/pause', {});
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ error: { code: 'run-not-running' } });
  });

  it('resumes with an edited instruction atomically', async () => {
    await call('POST', '/api/runs/run-live/pause');
    const response = await call('POST', '/api/runs/run-live/resume', { changes: { instruction: 'also add tests' } });
    expect(response.status).toBe(200);
    const tail = (await store.read('run-live')).slice(-2);
    expect(tail.map((event) => event.type)).toEqual(['instruction-edit', 'run-resume']);
    expect(tail[1]?.data).toEqual({ by: 'api', changes: { instruction: 'also add tests' } });
  });

  it('answers 400 naming the offending field of a malformed body', async () => {
    const cases: [unknown, string][] = [
      [{ changes: { maxUsd: -1 } }, 'changes.maxUsd'],
      [{ changes: { colour: 'red' } }, 'changes.colour'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await call('POST', '/api/runs/run-live/resume', body);
      expect(response.status).toBe(400);
      const payload = await json(response);
      expect(payload.error).toMatchObject({ code: 'api-body-invalid', field });
      expect(payload.error.message).toContain(field === 'body' ? 'JSON' : field);
    }
    const instruction = await call('POST', '/api/runs/run-live/instruction', { instruction: '  ' });
    expect(await json(instruction)).toMatchObject({ error: { field: 'instruction' } });
  });

  it('records re-run requests only for known steps', async () => {
    const known = await call('POST', '/api/runs/run-live/steps/turn-1-architect/rerun', { reason: 'weak plan' });
    expect(known.status).toBe(200);
    expect((await store.read('run-live')).at(-1)).toMatchObject({
      type: 'step-rerun',
      data: { stepId: 'turn-1-architect', by: 'api', reason: 'weak plan' },
    });
    const unknown = await call('POST', '/api/runs/run-live/steps/turn-9/rerun', {});
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ error: { code: 'step-not-found' } });
  });

  it('decides a pending approval once', async () => {
    const [request] = await store.append('run-live', [
      { type: 'approval-request', data: { gate: 'pr-open', reason: 'touches auth code' } },
    ]);
    const path = `/api/runs/run-live/approvals/${request!.seq}`;
    const approved = await call('POST', path, { decision: 'approve', comment: 'ok' });
    expect(approved.status).toBe(200);
    expect((await store.read('run-live')).at(-1)).toMatchObject({
      type: 'approval-decision',
      data: { approvalId: String(request!.seq), decision: 'approve', by: 'api', comment: 'ok' },
    });
    const twice = await call('POST', path, { decision: 'reject' });
    expect(twice.status).toBe(409);
    expect(await json(twice)).toMatchObject({ error: { code: 'approval-already-decided' } });
    const missingDecision = await call('POST', path, {});
    expect(await json(missingDecision)).toMatchObject({ error: { code: 'api-body-invalid', field: 'decision' } });
  });

  it('refuses to control an ended or unknown run', async () => {
    await store.append('run-live', [{ type: 'run-end', data: { status: 'cancelled' } }]);
    const ended = await call('POST', '/api/runs/run-live/instruction', { instruction: 'more' });
    expect(ended.status).toBe(409);
    expect(await json(ended)).toMatchObject({ error: { code: 'run-ended' } });
    const unknown = await call('POST', '/api/runs/nope/pause', {});
    expect(unknown.status).toBe(404);
  });

  it('tells the composition root about each recorded control request', async () => {
    const calls: [string, string[]][] = [];
    app = createApiApp({
      store,
      token,
      onControl: async (runId, events) => {
        calls.push([runId, events.map((event) => event.type)]);
      },
    });
    await call('POST', '/api/runs/run-live/pause', {});
    await call('POST', '/api/runs/run-live/resume', {});
    expect(calls).toEqual([
      ['run-live', ['run-pause']],
      ['run-live', ['run-resume']],
    ]);
  });

  it('answers 501 to starting a run when no launcher was given', async () => {
    const response = await call('POST', '/api/runs', { task: 'add a README' });
    expect(response.status).toBe(501);
    expect(await json(response)).toMatchObject({ error: { code: 'run-start-unavailable' } });
  });
});
