// Phase 4: budgets that hold. Runs go through the real SDKs and adapters to the local replay server (priced models:
// Claude for the Architect, GPT for the Builder and Critic), answered by a seeded verbose model whose replies vary in
// length from call to call and so from run to run. The repository sets each role's output cap and a step token
// ceiling; the spend of three identical runs stays within 10% only because the budget clamps every output to its cap
// and the context packer fits every prompt under the step ceiling (without them, lengths follow the draws).
// 1. The same task run 3× with the response cache off: replies wanted different lengths, every call stayed within its
//    ceilings, the packer cut prompts, and the spend is within 10% of the mean.
// 2. A repeat with the cache on is served from the response cache at zero cost.
// 3. A run with a tiny cap pauses with `budget-exhausted` without overspending; `resume --max-usd` finishes it.
// 4. `runs spend <id> --json` breaks the spend down by role and model, paid vs cached.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import { ScriptedModel } from '@orchestrator/testing';
import { scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { SeededVerboseModel } from '@orchestrator/testing/seeded-model/index';
import { demoRepoFiles } from '../../apps/orchestrator/src/compose/demo-repo.ts';
import { check, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

/** Each role's output cap and the step ceiling (input + output tokens) the repository configures. */
const outputCap = 600;
const stepCeiling = 4900;
const seed = Number(process.env.P4_SEED ?? 4);
// Replies want 600 to 6,000 tokens of rationale on top of their substance: always more than the cap allows.
const model = new SeededVerboseModel({
  inner: new ScriptedModel(),
  seed,
  verbosity: { minTokens: 600, maxTokens: 6000 },
});
const server = await startReplayServer({ respond: scriptedWireResponder(model) });
const task = 'add a README section';

function makeRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p4-repo-'));
  const role = (provider: string, name: string) => ({ provider, model: name, maxOutputTokens: outputCap });
  const files: Record<string, string> = {
    ...demoRepoFiles,
    'orchestrator.config.json': `${JSON.stringify(
      {
        roles: {
          architect: role('anthropic', 'claude-sonnet-4-6'),
          builder: role('openai', 'gpt-5'),
          critic: role('openai', 'gpt-5'),
        },
        budget: { maxTokensPerStep: stepCeiling },
      },
      null,
      2,
    )}\n`,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Smoke', '-c', 'user.email=smoke@localhost', 'commit', '-q', '-m', 'initial');
  return repo;
}
const repo = makeRepository();

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the replay server answers from this process, so the CLI must not block it). */
function cliAsync(args: readonly string[], dataDir: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ORCHESTRATOR_HOME: dataDir,
        DATABASE_URL: '',
        MAX_USD: '',
        ANTHROPIC_API_KEY: 'replay-no-key',
        ANTHROPIC_BASE_URL: server.url,
        OPENAI_API_KEY: 'replay-no-key',
        OPENAI_BASE_URL: `${server.url}/v1`,
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
    });
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
}

interface RunJson {
  runId?: string;
  status?: string;
  spentUsd?: number;
  pause?: { reason: string; detail: string };
}

/** The JSON object a `--json` command printed (after any human line). */
function jsonOf<Value>(result: CliResult): Value | undefined {
  try {
    return JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Value;
  } catch {
    return undefined;
  }
}

const why = (result: CliResult) => {
  if (result.status === 0) return '';
  const pause = jsonOf<RunJson>(result)?.pause;
  const said = pause === undefined ? result.stderr.trim() || result.stdout.trim() : `${pause.reason}: ${pause.detail}`;
  return `exit ${result.status}: ${said.split('\n').slice(-3).join(' ').slice(0, 300)}`;
};

/** What a run's journal says about its calls: caps sent, tokens billed, prompts packed. */
async function callsOf(dataDir: string, runId: string) {
  const store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
  try {
    const events = await store.read(runId);
    const data = (type: string) => events.filter((event) => event.type === type).map((event) => event.data as never);
    const starts: Array<{ role: string; maxOutputTokens: number }> = data('model-call-start');
    const ends: Array<{ usage: { inputTokens: number; outputTokens: number }; cached: boolean }> =
      data('model-call-end');
    return { starts, ends, packs: data('context-pack').length };
  } finally {
    await store.close();
  }
}

try {
  // 1. Spend variance over three identical runs, the response cache off (run 1 has an empty cache; runs 2 and 3 run
  // in the same data directory with --no-cache, so they pay although the cache holds run 1's replies).
  const dataDir = freshDataDir('p4');
  const spends: number[] = [];
  const wanted: number[] = [];
  const runIds: string[] = [];
  for (const flags of [[], ['--no-cache'], ['--no-cache']]) {
    const drawsBefore = model.draws.length;
    const result = await cliAsync(['run', task, '--repo', repo, '--max-usd', '5', '--json', ...flags], dataDir);
    const run = jsonOf<RunJson>(result);
    check(`run ${spends.length + 1} (cache off) converges`, run?.status === 'converged', why(result));
    runIds.push(run?.runId ?? '-');
    spends.push(run?.spentUsd ?? 0);
    wanted.push(model.draws.slice(drawsBefore).reduce((sum, draw) => sum + draw.wantedTokens, 0));
  }
  const mean = spends.reduce((sum, spend) => sum + spend, 0) / spends.length;
  const deviation = Math.max(...spends.map((spend) => Math.abs(spend - mean)));
  check('the runs cost something (priced models)', mean > 0, spends.map((spend) => `$${spend.toFixed(6)}`).join(', '));
  check(
    'spend variance over 3 runs ≤ 10%',
    mean > 0 && deviation / mean <= 0.1,
    `max deviation ${((deviation / (mean || 1)) * 100).toFixed(2)}%`,
  );
  const perCall = model.draws.map((draw) => draw.wantedTokens);
  check(
    "the model's replies wanted different lengths: ≥ 2× apart across calls, a different total in each run",
    Math.max(...perCall) >= 2 * Math.min(...perCall) && new Set(wanted).size === wanted.length,
    `per call ${Math.min(...perCall)}–${Math.max(...perCall)} tokens; per run ${wanted.join(', ')}`,
  );
  const journals: Array<Awaited<ReturnType<typeof callsOf>>> = [];
  for (const runId of runIds) journals.push(await callsOf(dataDir, runId));
  const paidCalls = journals.flatMap((journal) => journal.ends.filter((end) => !end.cached));
  check(
    'every call of the three runs was paid (no response-cache hit)',
    paidCalls.length > 0 && journals.every((journal) => journal.ends.every((end) => !end.cached)),
    `${paidCalls.length} paid calls`,
  );
  const capsSent = journals.flatMap((journal) => journal.starts.map((start) => start.maxOutputTokens));
  const biggestStep = Math.max(...paidCalls.map((end) => end.usage.inputTokens + end.usage.outputTokens));
  check(
    `every call stayed within its ceilings (output ≤ ${outputCap}, input + output ≤ ${stepCeiling})`,
    paidCalls.length > 0 &&
      capsSent.every((cap) => cap <= outputCap) &&
      paidCalls.every((end) => end.usage.outputTokens <= outputCap) &&
      biggestStep <= stepCeiling,
    `largest step ${biggestStep} tokens; outputs ${paidCalls.map((end) => end.usage.outputTokens).join(', ')}`,
  );
  check(
    'the context packer fitted prompts under the step ceiling in every run (context-pack journaled)',
    journals.every((journal) => journal.packs > 0),
    `context-pack events per run: ${journals.map((journal) => journal.packs).join(', ')}`,
  );

  // 2. The response cache: the same task again, cache on, in the same data directory: run 1's replies at $0.
  const cachedResult = await cliAsync(['run', task, '--repo', repo, '--json'], dataDir);
  const cachedRun = jsonOf<RunJson>(cachedResult);
  check('the repeated run converges', cachedRun?.status === 'converged', why(cachedResult));
  check(
    'the repeated run is served from the response cache at $0',
    cachedRun?.spentUsd === 0,
    `$${cachedRun?.spentUsd}`,
  );
  const cachedSpend = jsonOf<{ totals?: { cachedCalls?: number } }>(
    await cliAsync(['runs', 'spend', cachedRun?.runId ?? '-', '--json'], dataDir),
  );
  check('runs spend shows the cache hits', (cachedSpend?.totals?.cachedCalls ?? 0) > 0);

  // 3. A tiny cap pauses the run gracefully; a higher cap resumes it.
  const tinyDataDir = freshDataDir('p4-tiny');
  const tinyCap = 0.001;
  const tinyResult = await cliAsync(['run', task, '--repo', repo, '--max-usd', String(tinyCap), '--json'], tinyDataDir);
  const tiny = jsonOf<RunJson>(tinyResult);
  check('a $0.001 run pauses (exit 5)', tinyResult.status === 5 && tiny?.status === 'paused', why(tinyResult));
  check('the pause reason is budget-exhausted', tiny?.pause?.reason === 'budget-exhausted', tiny?.pause?.reason);
  check('the detail says how to resume', (tiny?.pause?.detail ?? '').includes('--max-usd'), tiny?.pause?.detail);
  check('it spent no more than the cap', (tiny?.spentUsd ?? 0) <= tinyCap, `$${tiny?.spentUsd}`);
  const resumed = await cliAsync(['resume', tiny?.runId ?? '-', '--max-usd', '5', '--json'], tinyDataDir);
  const resumedRun = jsonOf<RunJson>(resumed);
  check('resume --max-usd 5 finishes the run', resumedRun?.status === 'converged', why(resumed));

  // 4. The spend report.
  const spendResult = await cliAsync(['runs', 'spend', runIds[0] ?? '-', '--json'], dataDir);
  const spend = jsonOf<{
    runs?: Array<{ totals: { costUsd: number }; byRole: Record<string, unknown>; byModel: Record<string, unknown> }>;
    totals?: { costUsd: number; paidTokens: { inputTokens: number } };
  }>(spendResult);
  check('runs spend --json reports the run', spend?.runs?.length === 1, why(spendResult));
  check('its cost matches the run result', Math.abs((spend?.totals?.costUsd ?? -1) - (spends[0] ?? 0)) < 1e-6);
  check(
    'broken down by role and model',
    ['architect', 'builder', 'critic'].every((role) => spend?.runs?.[0]?.byRole[role] !== undefined) &&
      Object.keys(spend?.runs?.[0]?.byModel ?? {}).length >= 2,
    Object.keys(spend?.runs?.[0]?.byRole ?? {}).join(', '),
  );
} finally {
  await server.close();
}
finish('p4');
