import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createGitHubClient } from '@orchestrator/forge';
import { reviewCheckName } from '@orchestrator/policy';
import { SystemError, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { stringify } from 'yaml';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { createOutput } from '../output/terminal.ts';

/** Where the workflow goes, relative to the repository root. */
export const workflowPath = '.github/workflows/orchestrator-review.yml';
/** The checks the workflow reports, made required by branch protection. */
export const requiredChecks = ['orchestrator/policy', reviewCheckName] as const;

/** A GitHub Actions expression, `${{ inner }}`. */
const expression = (inner: string) => `\${{ ${inner} }}`;
const baseRef = `origin/${expression('github.base_ref')}`;

/** The workflow: policy and review checks on every pull request, plus CodeRabbit and Copilot review requests. */
export function reviewWorkflow(command: string): string {
  const setup = [
    { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
    { uses: 'actions/setup-node@v4', with: { 'node-version': 24 } },
    { run: 'npm ci' },
  ];
  const workflow = {
    name: 'orchestrator-review',
    on: { pull_request: { types: ['opened', 'synchronize', 'reopened', 'ready_for_review'] } },
    permissions: { contents: 'read', 'pull-requests': 'write' },
    jobs: {
      policy: {
        name: 'orchestrator/policy',
        'runs-on': 'ubuntu-latest',
        steps: [
          ...setup,
          {
            name: 'Policy gate (secrets, PII, licences)',
            run: `${command} policy check --base "${baseRef}" --gate pre-pr`,
          },
        ],
      },
      review: {
        name: reviewCheckName,
        'runs-on': 'ubuntu-latest',
        steps: [...setup, { name: 'Static security review', run: `${command} policy review --base "${baseRef}"` }],
      },
      'request-reviews': {
        name: 'request external reviews',
        'runs-on': 'ubuntu-latest',
        if: "github.event.action != 'synchronize'",
        env: { GH_TOKEN: expression('secrets.GITHUB_TOKEN') },
        steps: [
          {
            name: 'Request a Copilot review',
            run: `gh api --method POST "repos/${expression('github.repository')}/pulls/${expression('github.event.pull_request.number')}/requested_reviewers" -f "reviewers[]=copilot-pull-request-reviewer[bot]" || echo "Copilot code review is not enabled for this repository; skipped."`,
          },
          {
            name: 'Ask CodeRabbit for a review',
            run: `gh pr comment "${expression('github.event.pull_request.number')}" --repo "${expression('github.repository')}" --body "@coderabbitai review"`,
          },
        ],
      },
    },
  };
  return `# Written by \`orchestrator github setup\`; re-run it to update.\n${stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** `owner/name` from the origin remote of a GitHub repository, if it is one. */
function originRepository(repo: string): { owner: string; name: string } | undefined {
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const match = /github\.com[/:]([^/]+)\/(.+?)(?:\.git)?$/.exec(url);
    return match?.[1] === undefined || match[2] === undefined ? undefined : { owner: match[1], name: match[2] };
  } catch {
    return undefined;
  }
}

interface SetupOptions {
  repo: string;
  json?: boolean;
  github?: string;
  branch: string;
  apiUrl?: string;
  tokenEnv: string;
  protection: boolean;
  command: string;
}

interface ProtectionResult {
  branch: string;
  requiredChecks: string[];
  added: string[];
}

async function protectBranch(options: SetupOptions, owner: string, name: string): Promise<ProtectionResult> {
  const token = process.env[options.tokenEnv];
  if (token === undefined || token === '') {
    throw new UserError({
      code: 'github-token-missing',
      message: `No GitHub token in ${options.tokenEnv}; branch protection needs one.`,
      hint: `Set ${options.tokenEnv} to a token with administration write access to ${owner}/${name}, or pass --no-protection to only write the workflow.`,
    });
  }
  const client = createGitHubClient({
    token,
    ...(options.apiUrl === undefined ? {} : { baseUrl: options.apiUrl }),
    retries: 1,
  });
  const target = { owner, repo: name, branch: options.branch };
  let existing: Awaited<ReturnType<typeof client.rest.repos.getBranchProtection>>['data'] | undefined;
  try {
    existing = (await client.rest.repos.getBranchProtection(target)).data;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw githubFailure(error, owner, name);
  }
  const current = existing?.required_status_checks?.contexts ?? [];
  const contexts = [...new Set([...current, ...requiredChecks])];
  const reviews = existing?.required_pull_request_reviews;
  try {
    await client.rest.repos.updateBranchProtection({
      ...target,
      required_status_checks: { strict: existing?.required_status_checks?.strict ?? true, contexts },
      enforce_admins: existing?.enforce_admins?.enabled ?? false,
      required_pull_request_reviews:
        reviews === undefined
          ? null
          : {
              dismiss_stale_reviews: reviews.dismiss_stale_reviews ?? false,
              require_code_owner_reviews: reviews.require_code_owner_reviews ?? false,
              required_approving_review_count: reviews.required_approving_review_count ?? 1,
            },
      restrictions: null,
    });
  } catch (error) {
    throw githubFailure(error, owner, name);
  }
  return {
    branch: options.branch,
    requiredChecks: contexts,
    added: contexts.filter((context) => !current.includes(context)),
  };
}

function githubFailure(error: unknown, owner: string, name: string): Error {
  const status = (error as { status?: number }).status;
  if (status === 401 || status === 403 || status === 404) {
    return new UserError({
      code: 'github-protection-denied',
      message: `GitHub refused to change branch protection on ${owner}/${name} (HTTP ${status}).`,
      hint: 'Use a token with the administration permission on the repository (fine-grained: "Administration: write").',
      cause: error,
    });
  }
  return new SystemError({
    code: 'github-protection-failed',
    message: `Setting branch protection on ${owner}/${name} failed${status === undefined ? '' : ` (HTTP ${status})`}.`,
    hint: 'Retry later; check https://www.githubstatus.com if it persists.',
    cause: error,
  });
}

async function setup(options: SetupOptions): Promise<void> {
  const repo = repoPath(options);
  const output = createOutput(options.json === true);
  const [owner, name] = options.github?.split('/') ?? [];
  const target = owner !== undefined && name !== undefined ? { owner, name } : originRepository(repo);
  const path = join(repo, workflowPath);
  const content = reviewWorkflow(options.command);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  mkdirSync(dirname(path), { recursive: true });
  if (previous !== content) writeFileSync(path, content);
  const workflow = {
    path: workflowPath,
    status: previous === undefined ? 'created' : previous === content ? 'unchanged' : 'updated',
  };
  let protection: ProtectionResult | undefined;
  if (options.protection) {
    if (target === undefined) {
      throw new UserError({
        code: 'github-repository-unknown',
        message: 'Could not tell which GitHub repository this is (no github.com origin remote).',
        hint: 'Pass --github owner/name, or --no-protection to only write the workflow.',
      });
    }
    protection = await protectBranch(options, target.owner, target.name);
  }
  output.data({ workflow, protection: protection ?? null }, () => {
    output.line(
      `${pc.green(workflow.status)} ${workflow.path} (policy and review checks; requests CodeRabbit and Copilot reviews)`,
    );
    if (protection !== undefined) {
      output.line(
        `${pc.green('protected')} ${target?.owner}/${target?.name}@${protection.branch}: required checks ${protection.requiredChecks.join(', ')}`,
      );
    } else output.line(pc.dim('branch protection skipped (--no-protection)'));
    output.line(pc.dim('Commit the workflow file and push it to make the checks run.'));
  });
}

export function register(program: Command): void {
  const github = program.command('github').description('GitHub integration');
  const command = github
    .command('setup')
    .description(
      `write ${workflowPath} (policy + review checks, CodeRabbit and Copilot reviews) and make the checks required on a branch`,
    )
    .option('--github <owner/name>', 'the GitHub repository (default: from the origin remote)')
    .option('--branch <branch>', 'the branch to protect', 'main')
    .option('--api-url <url>', 'GitHub REST API base URL (GitHub Enterprise)')
    .option('--token-env <name>', 'environment variable holding the token', 'GITHUB_TOKEN')
    .option('--no-protection', 'only write the workflow; do not change branch protection')
    .option('--command <command>', 'how the workflow invokes the orchestrator', 'npx orchestrator');
  addRepoOption(command);
  addJsonOption(command);
  command.action(async (options: SetupOptions) => setup(options));
}
