// Phase 10: a run in the journal store → `orchestrator serve` answers with its full timeline, token totals and top-3
// costly prompts; the SSE stream replays from a given event id; no token → 401; bad body → 400 naming the field.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import { sampleRunEvents } from '../../packages/store/test/sample-run-events.ts';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const dataDir = freshDataDir('p10');
const env = { ORCHESTRATOR_HOME: dataDir, DATABASE_URL: '', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' };

// 1. A run in the store: the kernel's demo run when the CLI has it, else a realistic journal written through the store.
let source = 'journal written through the store';
if (existsSync(join(repoRoot, 'apps/orchestrator/src/commands/run.ts'))) {
  const demo = cli(['run', '--demo-repo', '--json'], env);
  source = `orchestrator run --demo-repo (exit ${demo.status})`;
}
const store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
let [run] = await store.listRuns({ limit: 1 });
if (run === undefined || run.lastSeq < 6) {
  source = 'journal written through the store';
  const { events, prompts } = sampleRunEvents({ turns: 8, feature: 'health-endpoint', withRateLimit: true });
  for (const prompt of prompts) await store.putBlob(prompt);
  await store.createRun('smoke-p10-run', { feature: 'health-endpoint' });
  await store.append('smoke-p10-run', events);
  [run] = await store.listRuns({ limit: 1 });
}
const runId = run!.runId;
const journal = await store.read(runId);
await store.close();
check('a run is in the store', journal.length > 0, `${runId}: ${journal.length} events (${source})`);
// The same dashboard data from the CLI: `runs show <id> --timeline` (human and --json).
const cliTimeline = cli(['runs', 'show', runId, '--timeline', '--json'], env);
let timelineJson: { entries?: unknown[]; totals?: unknown; costliestPrompts?: unknown[] } = {};
try {
  timelineJson = JSON.parse(cliTimeline.stdout);
} catch {}
check(
  'runs show --timeline --json has every event, the token totals and the costliest prompts',
  timelineJson.entries?.length === journal.length &&
    timelineJson.totals !== undefined &&
    Array.isArray(timelineJson.costliestPrompts),
  `${timelineJson.entries?.length ?? 0} of ${journal.length} events`,
);
check(
  'runs show --timeline prints it for people',
  cli(['runs', 'show', runId, '--timeline'], env).stdout.includes('Tokens:'),
);

// 2. Start the server the way a user does.
const server: ChildProcess = spawn(
  process.execPath,
  [join(repoRoot, 'apps/orchestrator/src/bin.ts'), 'serve', '--port', '0', '--json'],
  { cwd: repoRoot, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
);
const started = await new Promise<{ url: string; host: string; tokenCreated: boolean; tokenPath: string }>(
  (resolve, reject) => {
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      try {
        resolve(JSON.parse(output));
      } catch {
        // Not the whole document yet.
      }
    });
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    setTimeout(() => reject(new Error('serve did not start within 30 s')), 30_000).unref();
  },
);
check('serve binds to loopback by default', started.host === '127.0.0.1', started.url);
check(
  'serve generates the token on first start, stored user-only',
  started.tokenCreated && (statSync(started.tokenPath).mode & 0o077) === 0,
  started.tokenPath,
);
const authorization = { authorization: `Bearer ${readFileSync(started.tokenPath, 'utf8').trim()}` };
const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${started.url}${path}`, {
    ...init,
    headers: { ...authorization, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

try {
  // 3. Authentication and validation.
  const anonymous = await fetch(`${started.url}/api/runs`);
  check('a request without the token gets 401', anonymous.status === 401);
  const malformed = await api(`/api/runs/${runId}/resume`, { method: 'POST', body: '{"changes":{"maxUsd":"lots"}}' });
  const error = malformed.body.error as { field?: string; code?: string } | undefined;
  check(
    'a malformed body gets 400 naming the field',
    malformed.status === 400 && error?.field === 'changes.maxUsd',
    JSON.stringify(error),
  );

  // 4. Dashboard data.
  const runs = await api('/api/runs');
  check('GET /api/runs lists the run', JSON.stringify(runs.body).includes(runId));
  const timeline = (await api(`/api/runs/${runId}/timeline`)).body as {
    entries: unknown[];
    status: string;
    totals: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
    costliestPrompts: { costUsd: number; role: string; promptPreview?: string }[];
  };
  check(
    'the timeline has every event',
    timeline.entries.length === journal.length,
    `${timeline.entries.length} entries, ${timeline.status}`,
  );
  check(
    'token totals are reported',
    timeline.totals.calls > 0 && timeline.totals.inputTokens > 0,
    `${timeline.totals.calls} calls, ${timeline.totals.inputTokens} in / ${timeline.totals.outputTokens} out, $${timeline.totals.costUsd}`,
  );
  check(
    'the top-3 costliest prompts are listed with their text',
    timeline.costliestPrompts.length === Math.min(3, timeline.totals.calls) &&
      timeline.costliestPrompts.every((prompt) => typeof prompt.promptPreview === 'string'),
    timeline.costliestPrompts.map((prompt) => `${prompt.role} $${prompt.costUsd}`).join(', '),
  );
  const spans = (await api(`/api/runs/${runId}/spans`)).body.spans as { kind: string }[];
  check(
    'spans are derived from the journal',
    spans.some((span) => span.kind === 'model-call'),
    `${spans.length} spans`,
  );
  const spend = (await api('/api/spend')).body.features as { key: string; costUsd: number }[];
  check('spend per feature is reported', spend.length > 0, spend.map((row) => `${row.key} $${row.costUsd}`).join(', '));
  const errors = await api('/api/errors');
  check('the error catalog answers', errors.status === 200, JSON.stringify(errors.body).slice(0, 120));

  // 5. The SSE stream replays from a given event id, without gaps or duplicates.
  const from = Math.min(3, journal.length - 1);
  const controller = new AbortController();
  const stream = await fetch(`${started.url}/api/runs/${runId}/stream`, {
    headers: { ...authorization, 'last-event-id': String(from) },
    signal: controller.signal,
  });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const wanted = journal.at(-1)!.seq;
  const ids = () => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
  while (!ids().includes(wanted)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  controller.abort();
  const expected = journal.filter((event) => event.seq > from).map((event) => event.seq);
  check(
    `the stream replays from Last-Event-ID ${from}`,
    JSON.stringify(ids()) === JSON.stringify(expected),
    `received ${ids().length} events, ${ids()[0]}…${ids().at(-1)}`,
  );
} finally {
  server.kill('SIGTERM');
}
finish('p10');
