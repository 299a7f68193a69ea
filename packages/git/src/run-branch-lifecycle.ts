import { UserError } from '@orchestrator/spec';
import { repositoryFilterOverrides, runGit } from './git-command.ts';
import { at, comparablePath, listWorktrees, type RepositoryLocation, resolveRepository } from './repository-queries.ts';

/** How many dirty paths an error names before it says "and N more". */
const namedPaths = 5;

/** The paths `git status` reports as changed or untracked in the user's working tree (nothing refreshed, nothing written). */
async function dirtyPaths(location: { cwd: string; gitDir: string; workTree?: string }): Promise<string[]> {
  const status = await runGit(['status', '--porcelain=v1', '-z', '--untracked-files=all'], location);
  return status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, namedPaths).join(', ');
  return paths.length > namedPaths ? `${shown} and ${paths.length - namedPaths} more` : shown;
}

async function userRepository(repo: string): Promise<RepositoryLocation> {
  const location = await resolveRepository(repo);
  if (location.bare) {
    throw new UserError({
      code: 'apply-bare-repository',
      message: `${location.path} is a bare repository: it has no working tree to put the change into`,
      hint: 'Check out the run branch in a clone instead (git switch <branch>).',
    });
  }
  return location;
}

/**
 * Puts a run's change (its branch against the commit it started from) into the user's working tree, unstaged. Refused
 * while the working tree has any change or untracked file, and `git apply` is all-or-nothing: nothing is lost either way.
 */
export async function applyRunChange(options: {
  repo: string;
  baseCommit: string;
  branch: string;
}): Promise<{ files: string[] }> {
  const repo = await userRepository(options.repo);
  const dirty = await dirtyPaths(at(repo) as { cwd: string; gitDir: string });
  if (dirty.length > 0) {
    throw new UserError({
      code: 'apply-worktree-dirty',
      message: `--apply needs a clean working tree, but ${repo.path} has changes: ${listed(dirty)}. Nothing was applied.`,
      hint: `Commit or stash them, then take the change with: git -C ${repo.path} merge --squash --no-commit ${options.branch} (or git switch ${options.branch}).`,
    });
  }
  const diff = await runGit(
    ['diff', '--binary', '--full-index', options.baseCommit, `refs/heads/${options.branch}`, '--'],
    at(repo),
  );
  if (diff.stdout.trim() === '') return { files: [] };
  const names = await runGit(
    ['diff', '--name-only', '-z', options.baseCommit, `refs/heads/${options.branch}`, '--'],
    at(repo),
  );
  const applied = await runGit(['apply', '--whitespace=nowarn', '-'], {
    ...at(repo),
    configOverrides: await repositoryFilterOverrides(at(repo)),
    input: diff.stdout,
    acceptExitCodes: [1, 128],
  });
  if (applied.exitCode !== 0) {
    throw new UserError({
      code: 'apply-conflict',
      message: `The change of ${options.branch} does not apply to ${repo.path} as it stands (${applied.stderr.trim().split('\n')[0] ?? 'conflict'}); the working tree was left as it was.`,
      hint: `Merge the branch instead: git -C ${repo.path} merge ${options.branch}`,
    });
  }
  return { files: names.stdout.split('\0').filter((name) => name !== '') };
}

/** Deletes a run branch from the user's repository (refused by git while it is checked out somewhere). */
export async function deleteRunBranch(repo: string, branch: string): Promise<boolean> {
  const location = await resolveRepository(repo);
  const result = await runGit(['branch', '--quiet', '-D', '--', branch], { ...at(location), acceptExitCodes: [1] });
  return result.exitCode === 0;
}

/** What `fastForwardBranch` did, with the command that finishes the job when it could not. */
export type FastForwardOutcome =
  | { status: 'updated' | 'up-to-date'; branch: string; commit: string }
  | { status: 'not-fast-forward' | 'checked-out-dirty' | 'missing'; branch: string; commit: string; hint: string };

/**
 * Moves `branch` of the user's repository to `commit` (fetched first from `fetchFrom`, e.g. the local forge's bare
 * repository), only as a fast-forward: the ref is updated directly when the branch is not checked out, merged with
 * `--ff-only` when it is checked out in the repository's clean main working tree; otherwise nothing moves and the
 * outcome says which command to run.
 */
export async function fastForwardBranch(options: {
  repo: string;
  branch: string;
  commit: string;
  fetchFrom?: { path: string; ref: string };
}): Promise<FastForwardOutcome> {
  const repo = await resolveRepository(options.repo);
  const { branch, commit } = options;
  if (options.fetchFrom !== undefined) {
    await runGit(
      ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', options.fetchFrom.path, options.fetchFrom.ref],
      {
        ...at(repo),
        configOverrides: ['protocol.file.allow=always'],
      },
    );
  }
  const ref = `refs/heads/${branch}`;
  const current = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    ...at(repo),
    acceptExitCodes: [1],
  });
  const merge = `git -C ${repo.path} merge ${commit}`;
  if (current.exitCode !== 0) {
    return {
      status: 'missing',
      branch,
      commit,
      hint: `${branch} does not exist in ${repo.path}; create it with: git -C ${repo.path} branch ${branch} ${commit}`,
    };
  }
  const old = current.stdout.trim();
  if (old === commit) return { status: 'up-to-date', branch, commit };
  const ancestor = await runGit(['merge-base', '--is-ancestor', old, commit], { ...at(repo), acceptExitCodes: [1] });
  if (ancestor.exitCode !== 0) {
    return {
      status: 'not-fast-forward',
      branch,
      commit,
      hint: `${branch} moved on in ${repo.path} since; merge the result with: ${merge}`,
    };
  }
  const checkedOut = [];
  for (const entry of await listWorktrees(repo)) if (entry.branch === ref) checkedOut.push(entry.path);
  if (checkedOut.length === 0) {
    await runGit(['update-ref', '-m', 'orchestrator: merged pull request', ref, commit, old], at(repo));
    return { status: 'updated', branch, commit };
  }
  const mainTree = await comparablePath(repo.path);
  const inMain = checkedOut.length === 1 && (await comparablePath(checkedOut[0]!)) === mainTree && !repo.bare;
  const dirty = inMain ? await dirtyPaths(at(repo) as { cwd: string; gitDir: string }) : ['(another worktree)'];
  if (!inMain || dirty.length > 0) {
    return {
      status: 'checked-out-dirty',
      branch,
      commit,
      hint: `${branch} is checked out with changes (${listed(dirty)}); commit or stash them, then run: git -C ${checkedOut[0]} merge --ff-only ${commit}`,
    };
  }
  await runGit(['merge', '--quiet', '--ff-only', '--no-verify', commit], {
    ...at(repo),
    configOverrides: await repositoryFilterOverrides(at(repo)),
  });
  return { status: 'updated', branch, commit };
}
