// Phase 2: real providers. With no keys, `providers ping` calls both vendors' SDKs against the local replay server
// (recorded real replies), prints both model ids with token counts and cost, and the spend lands in the journal.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import { ScriptedModel } from '@orchestrator/testing';
import { scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const dataDir = freshDataDir('p2');
const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p2-repo-'));
const noKeys = {
  ANTHROPIC_API_KEY: '',
  ANTHROPIC_BASE_URL: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  DATABASE_URL: '',
  ORCHESTRATOR_HOME: dataDir,
};

const human = cli(['providers', 'ping', '--repo', repo], noKeys);
check('providers ping exits 0 with no keys', human.status === 0, human.status === 0 ? '' : human.stderr.trim());
check('it says it used the replay server', human.stdout.includes('replay server'));
console.log(
  human.stdout
    .split('\n')
    .filter((line) => line.startsWith('✔') || line.startsWith('✘'))
    .map((line) => `    ${line}`)
    .join('\n'),
);

interface PingJson {
  runId: string;
  replayServer?: string;
  results: Array<{
    ok: boolean;
    provider: string;
    modelId?: string;
    source: string;
    costUsd?: number | null;
    usage?: { inputTokens: number; outputTokens: number; reasoningTokens?: number };
  }>;
  totalCostUsd: number;
}
const json = cli(['providers', 'ping', '--json', '--repo', repo], noKeys);
let report: PingJson | undefined;
try {
  report = JSON.parse(json.stdout) as PingJson;
} catch {}
check('providers ping --json is JSON', report !== undefined, json.stderr.trim());
const byProvider = (provider: string) => report?.results.find((result) => result.provider === provider);
const anthropic = byProvider('anthropic');
const openai = byProvider('openai');
check('anthropic answered through the replay server', anthropic?.ok === true && anthropic.source === 'replay');
check('anthropic model id is a Claude model', /^claude-/.test(anthropic?.modelId ?? ''), anthropic?.modelId);
check('openai model id is a GPT model', /^gpt-/.test(openai?.modelId ?? ''), openai?.modelId);
// OpenAI's own models are called on the Responses API: the replay server serves a recorded /v1/responses reply only,
// so an answer at all proves the path; its reasoning tokens must be counted, not dropped.
check(
  'openai answered on the Responses API, reasoning tokens counted',
  openai?.ok === true && (openai.usage?.reasoningTokens ?? 0) > 0,
  `reasoning ${openai?.usage?.reasoningTokens}`,
);
check('the human report shows the reasoning tokens', /\(reasoning \d+\)/.test(human.stdout), human.stdout.trim());
for (const result of [anthropic, openai]) {
  check(
    `${result?.provider} reports input and output tokens`,
    (result?.usage?.inputTokens ?? 0) > 0 && (result?.usage?.outputTokens ?? 0) > 0,
    `${result?.usage?.inputTokens} in / ${result?.usage?.outputTokens} out`,
  );
  check(`${result?.provider} call is priced`, typeof result?.costUsd === 'number' && result.costUsd > 0);
}

const store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
try {
  const events = report === undefined ? [] : await store.read(report.runId);
  const ends = events.filter((event) => event.type === 'model-call-end');
  const journaledUsd = ends.reduce((sum, event) => sum + (event.data as { costUsd: number }).costUsd, 0);
  check('the journal holds one model-call-end per provider', ends.length === 2, `${ends.length} events`);
  check(
    'the journaled spend equals the printed spend',
    report !== undefined && Math.abs(journaledUsd - report.totalCostUsd) < 1e-12,
    `$${journaledUsd.toFixed(6)}`,
  );
  check('the ping run starts and ends', events[0]?.type === 'run-start' && events.at(-1)?.type === 'run-end');
} finally {
  await store.close();
}

// A whole run: Architect on Anthropic, Builder and Critic on OpenAI (the defaults when both keys are set), through the
// real SDKs and adapters to a replay server whose replies the scripted model computes (synthetic, labelled so).
const server = await startReplayServer({ respond: scriptedWireResponder(new ScriptedModel()) });
const runDataDir = freshDataDir('p2-run');
const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'apps/orchestrator/src/bin.ts'), 'run', '--demo-repo', '--json'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...noKeys,
        ORCHESTRATOR_HOME: runDataDir,
        ANTHROPIC_API_KEY: 'replay-no-key',
        ANTHROPIC_BASE_URL: server.url,
        OPENAI_API_KEY: 'replay-no-key',
        OPENAI_BASE_URL: `${server.url}/v1`,
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});
await server.close();
let runResult: { status?: string; runId?: string; spentUsd?: number } = {};
try {
  runResult = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as typeof runResult;
} catch {}
check(
  'a mixed-vendor run (Anthropic architect, OpenAI builder/critic) converges',
  runResult.status === 'converged',
  run.status === 0 ? '' : run.stderr.trim().slice(0, 400),
);
const paths = new Set(server.requests.map((request) => request.path));
check('both vendors were called on the wire', paths.has('/v1/messages') && paths.has('/v1/chat/completions'));
const runStore = SqliteJournalStore.open(join(runDataDir, 'journal.db'));
try {
  const events = runResult.runId === undefined ? [] : await runStore.read(runResult.runId);
  const providers = events
    .filter((event) => event.type === 'model-call-end')
    .map((event) => (event.data as { provider: string }).provider);
  check(
    'the run journaled anthropic and openai calls',
    providers.includes('anthropic') && providers.includes('openai'),
    providers.join(', '),
  );
} finally {
  await runStore.close();
}

finish('p2');
