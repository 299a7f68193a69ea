// Phase 4: budgets that hold. Runs go through the real SDKs and adapters to the local replay server (priced models:
// Claude for the Architect, GPT for the Builder and Critic), so every call has a real cost.
// 1. The same task run 3× (fresh data directories, so no response cache) spends within 10% of the mean.
// 2. A repeat of the task in the same data directory is served from the response cache at zero cost.
// 3. A run with a tiny cap pauses with `budget-exhausted` without overspending; `resume --max-usd` finishes it.
// 4. `runs spend <id> --json` breaks the spend down by role and model, paid vs cached.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ScriptedModel } from '@orchestrator/testing';
import { scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { check, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const server = await startReplayServer({ respond: scriptedWireResponder(new ScriptedModel()) });
const task = 'add a README section';

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

/** The JSON object a `--json` command printed (after any human line such as "Sample repository created at …"). */
function jsonOf<Value>(result: CliResult): Value | undefined {
  try {
    return JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Value;
  } catch {
    return undefined;
  }
}

const why = (result: CliResult) =>
  result.status === 0 ? '' : `exit ${result.status}: ${result.stderr.trim().slice(0, 300)}`;

try {
  // 1. Spend variance over three identical runs.
  const firstDataDir = freshDataDir('p4-a');
  const spends: number[] = [];
  let firstRunId = '';
  for (const dataDir of [firstDataDir, freshDataDir('p4-b'), freshDataDir('p4-c')]) {
    const result = await cliAsync(['run', '--demo-repo', task, '--max-usd', '5', '--json'], dataDir);
    const run = jsonOf<RunJson>(result);
    check(`run ${spends.length + 1} under a $5 cap converges`, run?.status === 'converged', why(result));
    if (firstRunId === '') firstRunId = run?.runId ?? '';
    spends.push(run?.spentUsd ?? 0);
  }
  const mean = spends.reduce((sum, spend) => sum + spend, 0) / spends.length;
  const deviation = Math.max(...spends.map((spend) => Math.abs(spend - mean)));
  check('the runs cost something (priced models)', mean > 0, spends.map((spend) => `$${spend.toFixed(6)}`).join(', '));
  check(
    'spend variance over 3 runs ≤ 10%',
    mean > 0 && deviation / mean <= 0.1,
    `max deviation ${((deviation / (mean || 1)) * 100).toFixed(2)}%`,
  );

  // 2. The response cache: the same task again in the same data directory.
  const cachedResult = await cliAsync(['run', '--demo-repo', task, '--json'], firstDataDir);
  const cachedRun = jsonOf<RunJson>(cachedResult);
  check('the repeated run converges', cachedRun?.status === 'converged', why(cachedResult));
  check(
    'the repeated run is served from the response cache at $0',
    cachedRun?.spentUsd === 0,
    `$${cachedRun?.spentUsd}`,
  );
  const cachedSpend = jsonOf<{ totals?: { cachedCalls?: number } }>(
    await cliAsync(['runs', 'spend', cachedRun?.runId ?? '-', '--json'], firstDataDir),
  );
  check('runs spend shows the cache hits', (cachedSpend?.totals?.cachedCalls ?? 0) > 0);
  const noCache = jsonOf<RunJson>(await cliAsync(['run', '--demo-repo', task, '--no-cache', '--json'], firstDataDir));
  check('--no-cache pays again', (noCache?.spentUsd ?? 0) > 0, `$${noCache?.spentUsd}`);

  // 3. A tiny cap pauses the run gracefully; a higher cap resumes it.
  const tinyDataDir = freshDataDir('p4-tiny');
  const tinyCap = 0.001;
  const tinyResult = await cliAsync(['run', '--demo-repo', task, '--max-usd', String(tinyCap), '--json'], tinyDataDir);
  const tiny = jsonOf<RunJson>(tinyResult);
  check('a $0.001 run pauses (exit 5)', tinyResult.status === 5 && tiny?.status === 'paused', why(tinyResult));
  check('the pause reason is budget-exhausted', tiny?.pause?.reason === 'budget-exhausted', tiny?.pause?.reason);
  check('the detail says how to resume', (tiny?.pause?.detail ?? '').includes('--max-usd'), tiny?.pause?.detail);
  check('it spent no more than the cap', (tiny?.spentUsd ?? 0) <= tinyCap, `$${tiny?.spentUsd}`);
  const resumed = await cliAsync(['resume', tiny?.runId ?? '-', '--max-usd', '5', '--json'], tinyDataDir);
  const resumedRun = jsonOf<RunJson>(resumed);
  check('resume --max-usd 5 finishes the run', resumedRun?.status === 'converged', why(resumed));

  // 4. The spend report.
  const spendResult = await cliAsync(['runs', 'spend', firstRunId || '-', '--json'], firstDataDir);
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
