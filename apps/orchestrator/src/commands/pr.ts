import { createForge, parseProvenanceBlock, resolveForgeChoice } from '@orchestrator/forge';
import { type Forge, type PullRequest, type PullRequestState, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput, exitCodes } from '../output/terminal.ts';

interface ForgeOptions {
  repo: string;
  json?: boolean;
  forge?: 'local' | 'github';
}

/** Opens the forge of the repository: GitHub when configured or GITHUB_TOKEN + GITHUB_REPOSITORY are set, else local. */
export async function openForge(options: ForgeOptions): Promise<Forge> {
  if (options.forge !== undefined && options.forge !== 'local' && options.forge !== 'github') {
    throw new UserError({
      code: 'cli-invalid-option',
      message: `--forge must be local or github, got ${JSON.stringify(options.forge)}.`,
      hint: 'Pass --forge local or --forge github, or omit it to use the configuration.',
    });
  }
  const repo = repoPath(options);
  const loaded = await loadConfig(repo, process.env);
  return createForge(
    resolveForgeChoice({
      settings: loaded.config.forge,
      env: loaded.env,
      dataDir: loaded.dataDir,
      sourceRepository: repo,
      ...(options.forge === undefined ? {} : { kind: options.forge }),
    }),
  );
}

/** Parses `12`, `#12` or a pull request URL ending in `/pull/12`. */
export function parsePullRequestNumber(raw: string): number {
  const match = /^(?:#)?(\d+)$/.exec(raw.trim()) ?? /\/pulls?\/(\d+)\/?$/.exec(raw.trim());
  const number = match === null ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new UserError({
      code: 'cli-invalid-pull-request',
      message: `${JSON.stringify(raw)} is not a pull request number.`,
      hint: 'Pass the number shown by `orchestrator pr list`, e.g. 1.',
    });
  }
  return number;
}

async function withForge<T>(options: ForgeOptions, work: (forge: Forge) => Promise<T>): Promise<T> {
  const forge = await openForge(options);
  try {
    return await work(forge);
  } finally {
    await forge.close();
  }
}

async function requirePullRequest(forge: Forge, number: number): Promise<PullRequest> {
  const pullRequest = await forge.getPullRequest(number);
  if (pullRequest === undefined) {
    throw new UserError({
      code: 'forge-pull-request-not-found',
      message: `Pull request #${number} does not exist in ${forge.repository}.`,
      hint: 'List the pull requests with `orchestrator pr list --state all`.',
    });
  }
  return pullRequest;
}

const stateColour = (state: PullRequestState) =>
  state === 'open' ? pc.green(state) : state === 'merged' ? pc.magenta(state) : pc.red(state);

function addForgeOptions(command: Command): Command {
  addRepoOption(command);
  return command.option('--forge <kind>', 'force the forge: local or github (default: from configuration)');
}

export function register(program: Command): void {
  const pr = program.command('pr').description('list, show, diff, merge and close pull requests of the forge');

  const list = addForgeOptions(pr.command('list').description('list pull requests, newest first'));
  list.option('--state <state>', 'open, merged, closed or all', 'open');
  addJsonOption(list);
  list.action(async (options: ForgeOptions & { state: string }) => {
    if (!['open', 'merged', 'closed', 'all'].includes(options.state)) {
      throw new UserError({
        code: 'cli-invalid-option',
        message: `--state must be open, merged, closed or all, got ${JSON.stringify(options.state)}.`,
        hint: 'Pass e.g. --state all',
      });
    }
    const output = createOutput(options.json === true);
    await withForge(options, async (forge) => {
      const pullRequests = await forge.listPullRequests({ state: options.state as PullRequestState | 'all' });
      output.data({ forge: forge.kind, repository: forge.repository, pullRequests }, () => {
        if (pullRequests.length === 0) output.line(pc.dim(`No ${options.state} pull requests in ${forge.repository}.`));
        for (const pull of pullRequests) {
          output.line(
            `#${String(pull.number).padEnd(4)} ${stateColour(pull.state).padEnd(16)} ${pull.title}  ${pc.dim(`${pull.head} → ${pull.base}`)}`,
          );
        }
      });
    });
  });

  const show = addForgeOptions(
    pr.command('show').description('show a pull request with its body (and provenance block), checks and reviews'),
  );
  show.argument('<number>', 'pull request number or URL');
  addJsonOption(show);
  show.action(async (raw: string, options: ForgeOptions) => {
    const number = parsePullRequestNumber(raw);
    const output = createOutput(options.json === true);
    await withForge(options, async (forge) => {
      const pullRequest = await requirePullRequest(forge, number);
      const [checks, reviews] = await Promise.all([forge.listCheckStatuses(number), forge.listReviewComments(number)]);
      const parsed = parseProvenanceBlock(pullRequest.body);
      const provenance = parsed.found && 'provenance' in parsed ? parsed.provenance : undefined;
      output.data({ pullRequest, checks, reviews, provenance: provenance ?? null }, () => {
        output.line(`${pc.bold(`#${pullRequest.number} ${pullRequest.title}`)}  ${stateColour(pullRequest.state)}`);
        output.line(pc.dim(`${pullRequest.head} → ${pullRequest.base} · ${pullRequest.url}`));
        if (pullRequest.labels.length > 0) output.line(`labels: ${pullRequest.labels.join(', ')}`);
        if (pullRequest.reviewers.length > 0) output.line(`reviewers: ${pullRequest.reviewers.join(', ')}`);
        for (const check of checks) {
          output.line(`check ${check.name}: ${check.state}${check.description ? ` — ${check.description}` : ''}`);
        }
        for (const review of reviews) output.line(`review by ${review.author} (${review.verdict}): ${review.body}`);
        output.line();
        output.line(pullRequest.body);
        if (parsed.found && 'error' in parsed) output.line(pc.yellow(`warning: ${parsed.error}`));
      });
    });
  });

  const diff = addForgeOptions(pr.command('diff').description('print the unified diff of a pull request'));
  diff.argument('<number>', 'pull request number or URL');
  addJsonOption(diff);
  diff.action(async (raw: string, options: ForgeOptions) => {
    const number = parsePullRequestNumber(raw);
    const output = createOutput(options.json === true);
    await withForge(options, async (forge) => {
      const text = await forge.getDiff(number);
      output.data({ number, diff: text }, () => process.stdout.write(text));
    });
  });

  const merge = addForgeOptions(
    pr.command('merge').description('merge a pull request (refused while a required check is not green)'),
  );
  merge.argument('<number>', 'pull request number or URL');
  merge.option('--squash', 'squash the commits into one');
  addJsonOption(merge);
  merge.action(async (raw: string, options: ForgeOptions & { squash?: boolean }) => {
    const number = parsePullRequestNumber(raw);
    const output = createOutput(options.json === true);
    await withForge(options, async (forge) => {
      const result = await forge.mergePullRequest(number, { method: options.squash === true ? 'squash' : 'merge' });
      output.data({ number, ...result }, () => {
        if (!result.merged) {
          output.line(`${pc.red('not merged')} #${number} (${result.reason}): ${result.message}`);
          return;
        }
        output.line(`${pc.green('merged')} #${number} as ${result.sha}`);
        const home = result.userBranch;
        if (home !== undefined && home.status !== 'not-updated') {
          output.line(
            `  your ${home.branch} is ${home.status === 'updated' ? 'fast-forwarded to the merge' : 'up to date'}`,
          );
        } else if (home !== undefined) {
          output.line(`  ${pc.yellow('your')} ${home.branch} was left as it is: ${home.detail ?? ''}`);
        }
      });
      if (!result.merged) process.exitCode = exitCodes.user;
    });
  });

  const close = addForgeOptions(pr.command('close').description('close a pull request without merging'));
  close.argument('<number>', 'pull request number or URL');
  addJsonOption(close);
  close.action(async (raw: string, options: ForgeOptions) => {
    const number = parsePullRequestNumber(raw);
    const output = createOutput(options.json === true);
    await withForge(options, async (forge) => {
      const pullRequest = await forge.closePullRequest(number);
      output.data(pullRequest, () => output.line(`#${number} is ${stateColour(pullRequest.state)}`));
    });
  });
}
