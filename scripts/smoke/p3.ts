// Phase 3: branch → commit → pull request with provenance. First through the real CLI (`run --open-pr`, as
// `npm run poc:pr` does): local forge with no configuration, crash-and-resume between push and PR creation, and the
// GitHub forge (the local GitHub stand-in). Then the pieces directly: a run journal, a worktree with a LICENSE commit
// (packages/git), `openPullRequest` on both forges; the CLI lists, shows, diffs, verifies (and detects tampering) and merges.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createForge, openPullRequest, resolveForgeChoice } from '@orchestrator/forge';
import { commitAll, GitWorkspaceProvider } from '@orchestrator/git';
import type { Forge, JournalStore, NewJournalEvent } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import { startGitHubStandIn } from '@orchestrator/testing/github-stand-in/index';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

/** Like `cli`, but asynchronous: the GitHub stand-in runs in this process and must keep answering meanwhile. */
function cliAsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Smoke',
      GIT_AUTHOR_EMAIL: 'smoke@example.com',
      GIT_COMMITTER_NAME: 'Smoke',
      GIT_COMMITTER_EMAIL: 'smoke@example.com',
    },
  }).trim();

function sandboxRepository(): string {
  const repo = join(freshDataDir('p3-repo'), 'sandbox');
  mkdirSync(repo);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(repo, 'README.md'), '# Sandbox\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'initial');
  return repo;
}

/** A small run in the journal: two model calls (prompts and responses stored as blobs), tests, a policy verdict. */
async function recordRun(journal: JournalStore, runId: string): Promise<void> {
  const events: NewJournalEvent[] = [
    {
      type: 'run-start',
      data: {
        task: 'add LICENSE',
        repo: 'sandbox',
        labels: {},
        roles: [{ role: 'builder', provider: 'scripted', model: 'scripted-v1' }],
        limits: {},
      },
    },
  ];
  for (const callId of ['c1', 'c2']) {
    const requestSha256 = await journal.putBlob(JSON.stringify({ prompt: `write a LICENSE (${callId})` }));
    const responseSha256 = await journal.putBlob(JSON.stringify({ text: `MIT License (${callId})` }));
    const call = { callId, role: 'builder', provider: 'scripted' };
    events.push(
      {
        type: 'model-call-start',
        stepId: 'build',
        data: { ...call, model: 'scripted-v1', requestSha256, maxOutputTokens: 1000, reservedUsd: 0 },
      },
      {
        type: 'model-call-end',
        stepId: 'build',
        data: {
          ...call,
          model: 'scripted-v1',
          responseSha256,
          usage: { inputTokens: 40, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
          costUsd: 0,
          cached: false,
          durationMs: 1,
        },
      },
    );
  }
  events.push(
    {
      type: 'test-run',
      data: { phase: 'check', command: 'test -f LICENSE', exitCode: 0, summary: 'LICENSE present', durationMs: 1 },
    },
    { type: 'policy-verdict', data: { gate: 'licenses', verdict: 'pass', findings: [] } },
  );
  await journal.createRun(runId, { task: 'add LICENSE' });
  await journal.append(runId, events);
}

interface StepContext {
  home: string;
  repo: string;
  runId: string;
  forge: Forge;
  journal: JournalStore;
}

/** The kernel's last steps: the Builder's edit in the run's worktree, a commit with trailers. */
async function commitLicense(context: StepContext) {
  const workspace = await new GitWorkspaceProvider({ dataDir: context.home }).open({
    repo: context.repo,
    runId: context.runId,
    slug: 'add LICENSE',
  });
  const applied = await workspace.applyEdits([{ kind: 'create', path: 'LICENSE', content: 'MIT License\n' }]);
  check('the Builder edit applies in the worktree', applied.ok);
  await commitAll(workspace, {
    message: 'Add LICENSE',
    author: { name: 'Orchestrator', email: 'orchestrator@localhost' },
    idempotencyKey: `${context.runId}/commit`,
  });
  return workspace;
}

/** The pull-request step, as the kernel will run it (and re-run it after a crash). */
async function openLicensePullRequest(context: StepContext, workspace: { root: string; branch: string }) {
  return openPullRequest({
    forge: context.forge,
    workspace,
    run: { runId: context.runId, task: 'add LICENSE', baseBranch: 'main', labels: ['orchestrator'] },
    events: await context.journal.read(context.runId),
    idempotencyKey: `${context.runId}/open-pr`,
  });
}

const home = freshDataDir('p3');
const offline = {
  ANTHROPIC_API_KEY: '',
  OPENAI_API_KEY: '',
  GITHUB_TOKEN: '',
  GITHUB_REPOSITORY: '',
  ORCHESTRATOR_HOME: home,
};
const journal = await openJournalStore({ dataDir: home });

// `npm run poc:pr -- "add LICENSE"` (= `run --demo-repo --open-pr`) through the real CLI: gates, commit, push, PR with
// provenance on the local forge with no configuration; a crash between push and PR creation, then `resume`: one PR.
{
  const runHome = freshDataDir('p3-run');
  const env = { ...offline, ORCHESTRATOR_HOME: runHome };
  const run = cli(['run', '--demo-repo', '--open-pr', 'add LICENSE'], env);
  const repo = /Sample repository created at (\S+)/.exec(run.stdout)?.[1] ?? '';
  check(
    'poc:pr "add LICENSE" converges and opens pull request #1 on the local forge',
    run.status === 0 && run.stdout.includes('Pull request #1'),
    run.stderr.trim().split('\n').slice(-2).join(' '),
  );
  check('the run prints how to see it', run.stdout.includes(`orchestrator pr show 1 --repo ${repo}`));
  const show = cli(['pr', 'show', '1', '--repo', repo, '--json'], env);
  const shown =
    show.status === 0 ? (JSON.parse(show.stdout) as { pullRequest: { body: string } }).pullRequest : undefined;
  check('its body carries orchestrator-provenance', shown?.body.includes('```orchestrator-provenance') === true);
  check(
    'its provenance block carries the test evidence with the sandbox kind',
    /"phase": "(red|green|check)",[\s\S]*?"sandbox": "(bubblewrap|none)"/.test(shown?.body ?? ''),
  );
  const verify = cli(['verify-provenance', '1', '--repo', repo], env);
  check("verify-provenance passes on the run's pull request", verify.status === 0, verify.stdout.trim());
  const checks = cli(['pr', 'show', '1', '--repo', repo], env).stdout;
  check(
    'the pull request carries the orchestrator/policy, /review and /tests checks',
    ['orchestrator/policy: success', 'orchestrator/review: success', 'orchestrator/tests: success'].every((name) =>
      checks.includes(name),
    ),
  );

  for (const point of ['after-push', 'after-pull-request-create']) {
    const crashHome = freshDataDir('p3-crash');
    const crashEnv = { ...offline, ORCHESTRATOR_HOME: crashHome };
    const crashed = cli(['run', '--demo-repo', '--open-pr', 'add LICENSE'], {
      ...crashEnv,
      ORCHESTRATOR_FAULT_POINT: point,
    });
    const crashRepo = /Sample repository created at (\S+)/.exec(crashed.stdout)?.[1] ?? '';
    check(
      `ORCHESTRATOR_FAULT_POINT=${point} kills the run (SIGKILL)`,
      crashed.signal === 'SIGKILL',
      String(crashed.status),
    );
    const runId = /r-[a-z0-9]{10}/.exec(cli(['runs', 'list', '--json'], crashEnv).stdout)?.[0] ?? '';
    const resumed = cli(['resume', runId, '--repo', crashRepo], crashEnv);
    const listed = cli(['pr', 'list', '--state', 'all', '--json', '--repo', crashRepo], crashEnv);
    const count =
      listed.status === 0 ? (JSON.parse(listed.stdout) as { pullRequests: unknown[] }).pullRequests.length : -1;
    check(
      `resume after a crash ${point} converges with exactly one pull request`,
      resumed.status === 0 && count === 1,
      `exit ${resumed.status}, ${count} PR(s)`,
    );
    const verified = cli(['verify-provenance', '1', '--repo', crashRepo], crashEnv);
    check(`its provenance verifies after the crash ${point}`, verified.status === 0, verified.stdout.trim());
  }
}

// Local forge, no configuration.
{
  const repo = sandboxRepository();
  const userState = () =>
    [git(repo, 'symbolic-ref', 'HEAD'), git(repo, 'rev-parse', 'main'), git(repo, 'status', '--porcelain')].join();
  const before = userState();
  await recordRun(journal, 'r-p3local');
  const forge = createForge(
    resolveForgeChoice({ settings: { kind: 'local' }, env: offline, dataDir: home, sourceRepository: repo }),
  );
  const context = { home, repo, runId: 'r-p3local', forge, journal };
  const workspace = await commitLicense(context);
  const opened = await openLicensePullRequest(context, workspace);
  check(
    'the local forge opens pull request #1',
    opened.created && opened.pullRequest.number === 1,
    opened.pullRequest.url,
  );
  const again = await openLicensePullRequest(context, workspace);
  check('retrying the step reuses it (exactly once)', !again.created && again.pullRequest.number === 1);
  await forge.close();
  check("the user's checkout, main branch and working tree are untouched", userState() === before);

  const list = cli(['pr', 'list', '--json', '-r', repo], offline);
  const listed = list.status === 0 ? (JSON.parse(list.stdout) as { pullRequests: unknown[] }).pullRequests : [];
  check('orchestrator pr list shows one pull request', listed.length === 1, list.stderr.trim());
  const show = cli(['pr', 'show', '1', '-r', repo], offline);
  console.log(show.stdout);
  check(
    'orchestrator pr show displays the provenance block',
    show.status === 0 && show.stdout.includes('```orchestrator-provenance'),
    show.stderr.trim(),
  );
  const diff = cli(['pr', 'diff', '1', '-r', repo], offline);
  check('orchestrator pr diff shows the LICENSE', diff.status === 0 && diff.stdout.includes('+MIT License'));
  const verify = cli(['verify-provenance', '1', '-r', repo], offline);
  check(
    'orchestrator verify-provenance recomputes every hash from the journal',
    verify.status === 0 && verify.stdout.includes('verified'),
    verify.stdout.trim() + verify.stderr.trim(),
  );
  const tamperedBlob = (await journal.read('r-p3local')).find((event) => event.type === 'model-call-start');
  const tamperedSha = String((tamperedBlob?.data as { requestSha256?: string } | undefined)?.requestSha256);
  const journalFile = new DatabaseSync(join(home, 'journal.db'));
  const original = journalFile.prepare('SELECT content FROM blobs WHERE sha256 = ?').get(tamperedSha) as {
    content: string;
  };
  journalFile.prepare('UPDATE blobs SET content = ? WHERE sha256 = ?').run('a forged prompt', tamperedSha);
  const tampered = cli(['verify-provenance', '1', '-r', repo], offline);
  check(
    'verify-provenance reports a prompt altered in the journal (exit 2)',
    tampered.status === 2 && tampered.stdout.includes('hash-mismatch'),
    tampered.stdout.trim().split('\n')[1] ?? tampered.stderr.trim(),
  );
  journalFile.prepare('UPDATE blobs SET content = ? WHERE sha256 = ?').run(original.content, tamperedSha);
  journalFile.close();
  const checks = createForge(
    resolveForgeChoice({ settings: { kind: 'local' }, env: offline, dataDir: home, sourceRepository: repo }),
  );
  await checks.setCheckStatus(1, { name: 'orchestrator/tests', state: 'failure', description: '1 failed' });
  const refused = cli(['pr', 'merge', '1', '-r', repo], offline);
  check(
    'orchestrator pr merge refuses while a required check fails',
    refused.status === 2 && refused.stdout.includes('checks-failing'),
    refused.stdout.trim(),
  );
  await checks.setCheckStatus(1, { name: 'orchestrator/tests', state: 'success' });
  await checks.close();
  const merge = cli(['pr', 'merge', '1', '-r', repo, '--json'], offline);
  check(
    'orchestrator pr merge merges into the forge base branch',
    merge.status === 0 && (JSON.parse(merge.stdout) as { merged: boolean }).merged,
    merge.stdout + merge.stderr,
  );
}

// GitHub forge against the stand-in (or the server the environment points at).
{
  const external =
    process.env.GITHUB_TOKEN &&
    process.env.GITHUB_REPOSITORY &&
    process.env.GITHUB_API_URL &&
    process.env.GITHUB_GIT_URL;
  const standIn = external ? undefined : await startGitHubStandIn();
  const githubEnv = {
    ...offline,
    GITHUB_TOKEN: standIn?.token ?? process.env.GITHUB_TOKEN ?? '',
    GITHUB_REPOSITORY: standIn?.repository ?? process.env.GITHUB_REPOSITORY ?? '',
    GITHUB_API_URL: standIn?.baseUrl ?? process.env.GITHUB_API_URL ?? '',
    GITHUB_GIT_URL: standIn?.gitUrl ?? process.env.GITHUB_GIT_URL ?? '',
  };
  console.log(
    `GitHub forge: ${standIn === undefined ? `${githubEnv.GITHUB_API_URL} (from the environment)` : 'local GitHub stand-in'}`,
  );
  const repo = sandboxRepository();
  await recordRun(journal, 'r-p3github');
  const forge = createForge(
    resolveForgeChoice({ settings: { kind: 'local' }, env: githubEnv, dataDir: home, sourceRepository: repo }),
  );
  check('GITHUB_TOKEN + GITHUB_REPOSITORY select the GitHub forge', forge.kind === 'github');
  await forge.pushBranch({ workingCopy: repo, branch: 'main' });
  const context = { home, repo, runId: 'r-p3github', forge, journal };
  const opened = await openLicensePullRequest(context, await commitLicense(context));
  check('the GitHub forge opens the pull request', opened.created, opened.pullRequest.url);
  const show = await cliAsync(['pr', 'show', String(opened.pullRequest.number), '-r', repo, '--json'], githubEnv);
  const body = show.status === 0 ? (JSON.parse(show.stdout) as { pullRequest: { body: string } }).pullRequest.body : '';
  check('its body carries orchestrator-provenance', body.includes('```orchestrator-provenance'), show.stderr.trim());
  const verify = await cliAsync(['verify-provenance', String(opened.pullRequest.number), '-r', repo], githubEnv);
  check('verify-provenance agrees with the journal', verify.status === 0, verify.stdout.trim() + verify.stderr.trim());

  // The real CLI on the GitHub forge: `run --open-pr` with GITHUB_TOKEN and GITHUB_REPOSITORY set.
  const runEnv = { ...githubEnv, ORCHESTRATOR_HOME: freshDataDir('p3-github-run') };
  const run = await cliAsync(['run', '--open-pr', 'add LICENSE', '--repo', repo], runEnv);
  const number = /Pull request #(\d+)/.exec(run.stdout)?.[1] ?? '';
  check(
    'run --open-pr opens the pull request on the GitHub forge',
    run.status === 0 && number !== '',
    run.stderr.trim(),
  );
  const runShow = await cliAsync(['pr', 'show', number, '-r', repo, '--json'], runEnv);
  const runBody =
    runShow.status === 0 ? (JSON.parse(runShow.stdout) as { pullRequest: { body: string } }).pullRequest.body : '';
  check('its body carries orchestrator-provenance', runBody.includes('```orchestrator-provenance'));
  const runVerify = await cliAsync(['verify-provenance', number, '-r', repo], runEnv);
  check('verify-provenance passes on it', runVerify.status === 0, runVerify.stdout.trim() + runVerify.stderr.trim());
  if (standIn !== undefined) {
    check(
      'every stand-in response matched GitHub’s OpenAPI description',
      standIn.contractViolations.length === 0,
      standIn.contractViolations.slice(0, 3).join('; '),
    );
    await standIn.close();
  }
  await forge.close();
}

await journal.close();
finish('p3');
