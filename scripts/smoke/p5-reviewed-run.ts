// Phase 5, through the real CLI: `run --open-pr "add a calculator endpoint"` on the GitHub forge (the local GitHub
// stand-in). The debate speaks GPT's wire format (Builder and Critic on OpenAI) to the replay server; the model reviewer
// is bound to Claude and answered through the replay server in Anthropic's wire format by an independent reviewer
// stand-in that follows request input through the added code (`taintReview`), not the static reviewer's line rules.
// Both reviewers post review comments on the stand-in's pull request; the required check refuses the merge until a
// fix is pushed and re-reviewed.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createForge, resolveForgeChoice } from '@orchestrator/forge';
import { publishReview, reviewDiffStatically } from '@orchestrator/policy';
import { ScriptedModel, TaintReviewerModel } from '@orchestrator/testing';
import { startGitHubStandIn } from '@orchestrator/testing/github-stand-in/index';
import { scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { check, freshDataDir, repoRoot } from './smoke-helpers.ts';

/** The CLI without blocking this process (the replay server and the GitHub stand-in answer from it). */
function cliAsync(args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env } },
      (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Smoke', '-c', 'user.email=smoke@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** Runs the reviewed delivery on `repo` (a git repository with `main`) and checks both reviewers' comments. */
export async function checkReviewedRun(repo: string): Promise<void> {
  writeFileSync(
    join(repo, 'orchestrator.config.json'),
    `${JSON.stringify({ roles: { reviewer: { provider: 'anthropic', model: 'claude-sonnet-4-6' } } }, null, 2)}\n`,
  );
  git(repo, 'add', 'orchestrator.config.json');
  git(repo, 'commit', '-q', '-m', 'bind the model reviewer to Claude');
  const reviewer = new TaintReviewerModel(new ScriptedModel());
  const replay = await startReplayServer({ respond: scriptedWireResponder(reviewer) });
  const standIn = await startGitHubStandIn();
  const home = freshDataDir('p5-run');
  const env = {
    ORCHESTRATOR_HOME: home,
    DATABASE_URL: '',
    ANTHROPIC_API_KEY: 'replay-no-key',
    ANTHROPIC_BASE_URL: replay.url,
    OPENAI_API_KEY: 'replay-no-key',
    OPENAI_BASE_URL: `${replay.url}/v1`,
    GITHUB_TOKEN: standIn.token,
    GITHUB_REPOSITORY: standIn.repository,
    GITHUB_API_URL: standIn.baseUrl,
    GITHUB_GIT_URL: standIn.gitUrl,
  };
  const forge = createForge(
    resolveForgeChoice({ settings: { kind: 'local' }, env, dataDir: home, sourceRepository: repo }),
  );
  try {
    await forge.pushBranch({ workingCopy: repo, branch: 'main' });
    const run = await cliAsync(['run', '--open-pr', 'add a calculator endpoint', '--repo', repo], env);
    const number = Number(/Pull request #(\d+)/.exec(run.stdout)?.[1] ?? Number.NaN);
    check(
      'the run converges and opens a pull request on the GitHub stand-in',
      run.status === 0 && forge.kind === 'github' && standIn.pulls.has(number),
      run.status === 0 ? `#${number}` : `exit ${run.status}: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`,
    );
    const wire = (path: string) => replay.requests.filter((request) => request.path === path);
    const reviewRequests = wire('/v1/messages').filter(
      (request) => ((request.body as { tools?: Array<{ name?: string }> }).tools ?? [])[0]?.name === 'review',
    );
    check(
      "the model reviewer was asked in Anthropic's wire format, the Builder in OpenAI's",
      reviewRequests.length === 1 && wire('/v1/chat/completions').length > 0 && reviewer.reviews.length === 1,
      `${reviewRequests.length} review request(s) on /v1/messages, ${wire('/v1/chat/completions').length} on /v1/chat/completions`,
    );
    const comments = Number.isNaN(number) ? [] : await forge.listReviewComments(number);
    // GitHub's review list does not return inline positions; the stand-in checked each posted review (with its
    // path and line) against GitHub's OpenAPI description (see the last check).
    const staticComment = comments.find((comment) => comment.body.includes('**review.eval** (high, static-reviewer)'));
    const modelComment = comments.find((comment) => comment.body.includes('**review.model.eval**'));
    check(
      'the static reviewer posted a review comment on the pull request (review.eval)',
      staticComment !== undefined,
      JSON.stringify(comments.map((comment) => comment.body.split('\n')[0])),
    );
    check(
      'the model reviewer posted its own comment: request input traced to eval, from the model reviewer',
      modelComment !== undefined &&
        modelComment !== staticComment &&
        modelComment.body.includes('model-reviewer') &&
        modelComment.body.includes('Request input (request.query.expression) reaches code evaluation'),
      modelComment?.body.split('\n')[0] ?? 'no review.model.eval comment',
    );
    const checks = Number.isNaN(number) ? [] : await forge.listCheckStatuses(number);
    check(
      'the required orchestrator/review check fails on the stand-in',
      checks.some((status) => status.name === 'orchestrator/review' && status.state === 'failure'),
      checks.map((status) => `${status.name}: ${status.state}`).join(', '),
    );
    const refused = await cliAsync(['pr', 'merge', String(number), '--repo', repo], env);
    check(
      'orchestrator pr merge is refused',
      refused.status === 2 && refused.stdout.includes('checks-failing'),
      refused.stdout.trim(),
    );
    // The fix, on the pull request's branch (fetched from the stand-in into a worktree of its own), pushed back.
    const head = standIn.pulls.get(number)?.head ?? 'missing-branch';
    const fixDir = join(freshDataDir('p5-fix'), 'fix');
    git(repo, 'fetch', '-q', standIn.gitUrl, `+refs/heads/${head}:refs/heads/${head}`);
    git(repo, 'worktree', 'add', '-q', fixDir, head);
    writeFileSync(
      join(fixDir, 'src/calculate.js'),
      'export function calculate(request) {\n  return Number.parseFloat(request.query.expression);\n}\n',
    );
    git(fixDir, 'commit', '-q', '-am', 'parse instead of eval');
    await forge.pushBranch({ workingCopy: fixDir, branch: head });
    const rereview = await publishReview(forge, number, reviewDiffStatically(await forge.getDiff(number)));
    check('after the fix the review check passes', rereview.check.state === 'success', rereview.check.description);
    const merged = await cliAsync(['pr', 'merge', String(number), '--repo', repo], env);
    check('and orchestrator pr merge succeeds', merged.status === 0, merged.stdout.trim() + merged.stderr.trim());
    check(
      'every stand-in response matched GitHub’s OpenAPI description',
      standIn.contractViolations.length === 0,
      standIn.contractViolations.slice(0, 3).join('; '),
    );
  } finally {
    await forge.close();
    await standIn.close();
    await replay.close();
  }
}
