// Phase 10: a real run on priced models (replay server) in the journal store → `orchestrator serve` answers with its
// full timeline, token totals and the top-3 costly prompts (checked against the journal's costs); the SSE stream
// replays from a given event id; no token → 401; bad body → 400 naming the field. A failed run fails the smoke.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import { ScriptedModel } from '@orchestrator/testing';
import { scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const dataDir = freshDataDir('p10');
const env = { ORCHESTRATOR_HOME: dataDir, DATABASE_URL: '', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' };

// 1. A real run in the store: `orchestrator run` through the real SDKs to the replay server (priced models: Claude for
// the Architect, GPT for the others), so its prompts have real, different costs. If the run fails, the smoke fails.
const replay = await startReplayServer({ respond: scriptedWireResponder(new ScriptedModel()) });
const runEnv = {
  ...env,
  ANTHROPIC_API_KEY: 'replay-no-key',
  ANTHROPIC_BASE_URL: replay.url,
  OPENAI_API_KEY: 'replay-no-key',
  OPENAI_BASE_URL: `${replay.url}/v1`,
};
const demo = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  execFile(
    process.execPath,
    [join(repoRoot, 'apps/orchestrator/src/bin.ts'), 'run', '--demo-repo', 'add a function with its test', '--json'],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...runEnv, NO_COLOR: '1' } },
    (error, stdout, stderr) => resolve({ status: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
  );
});
await replay.close();
let demoRun: { runId?: string; status?: string } = {};
try {
  demoRun = JSON.parse(demo.stdout.slice(demo.stdout.indexOf('{')));
} catch {}
check(
  'orchestrator run --demo-repo converges on priced models over the replay server',
  demo.status === 0 && demoRun.status === 'converged',
  demo.status === 0
    ? (demoRun.runId ?? '')
    : `exit ${demo.status}: ${demo.stderr.trim().split('\n').slice(-2).join(' ')}`,
);
const runId = demoRun.runId ?? finish('p10');
const store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
const journal = await store.read(runId);
await store.close();
check('the run is in the store', journal.length > 0, `${runId}: ${journal.length} events`);
/** The costs the journal billed, dearest first: what the top-3 must be. */
const billed = journal
  .filter((event) => event.type === 'model-call-end')
  .map((event) => (event.data as { costUsd: number }).costUsd)
  .sort((a, b) => b - a);
check(
  'its calls have real, different costs',
  billed.length > 3 && billed[0]! > 0 && new Set(billed.slice(0, 4)).size === 4,
  billed.map((cost) => `$${cost.toFixed(6)}`).join(', '),
);
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
    setTimeout(() => reject(new Error('serve did not start within 180 s')), 180_000).unref();
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
    'the top-3 costliest prompts are the three dearest calls, dearest first, with their text',
    JSON.stringify(timeline.costliestPrompts.map((prompt) => prompt.costUsd)) === JSON.stringify(billed.slice(0, 3)) &&
      timeline.costliestPrompts.every((prompt) => (prompt.promptPreview ?? '').length > 0),
    timeline.costliestPrompts.map((prompt) => `${prompt.role} $${prompt.costUsd.toFixed(6)}`).join(', '),
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
