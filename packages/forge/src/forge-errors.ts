import { SystemError, UserError } from '@orchestrator/spec';

/** A git command the forge ran failed; the message carries git's own words (never credentials). */
export function gitCommandFailed(args: readonly string[], stderr: string, cause?: unknown): SystemError {
  return new SystemError({
    code: 'forge-git-failed',
    message: `git ${args[0] ?? ''} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no output'}`,
    hint: 'Check that git is installed and that the repository and the forge directory are readable and writable.',
    details: { command: args[0] ?? '' },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The pull request number does not exist on this forge. */
export function pullRequestNotFound(repository: string, number: number): UserError {
  return new UserError({
    code: 'forge-pull-request-not-found',
    message: `Pull request #${number} does not exist in ${repository}.`,
    hint: 'List the pull requests with `orchestrator pr list`.',
    details: { repository, number },
  });
}

/** An operation that needs an open pull request got a merged or closed one. */
export function pullRequestNotOpen(number: number, state: string): UserError {
  return new UserError({
    code: 'forge-pull-request-not-open',
    message: `Pull request #${number} is ${state}, not open.`,
    hint: 'Only open pull requests can be changed this way.',
    details: { number, state },
  });
}

/** A pull request was asked for a head branch the forge does not have. */
export function branchNotPushed(head: string): UserError {
  return new UserError({
    code: 'forge-branch-not-pushed',
    message: `Branch ${head} has not been pushed to the forge.`,
    hint: 'Push the branch first (Forge.pushBranch), then open the pull request.',
    details: { head },
  });
}
