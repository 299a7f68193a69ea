import { type GitCommandOptions, type GitCommandResult, repositoryFilterOverrides, runGit } from './git-command.ts';
import { verifyWorktreeMetadata } from './worktree-metadata.ts';

/** Runs git against one verified worktree: explicit git dir and work tree, filters neutralized. */
export type WorktreeGit = (
  args: readonly string[],
  options?: Pick<GitCommandOptions, 'env' | 'input' | 'acceptExitCodes'>,
) => Promise<GitCommandResult>;

/**
 * Verifies a linked worktree's git metadata (`verifyWorktreeMetadata`, which refuses with
 * `workspace-git-metadata-changed`) and returns a runner bound to it: every command gets `--git-dir` (the verified
 * worktree git directory) and `--work-tree`, so the worktree's own `.git` is never read, plus the hardening of `runGit`.
 */
export async function openWorktreeGit(root: string, expectedGitDir?: string): Promise<WorktreeGit> {
  const { gitDir } = verifyWorktreeMetadata(root, expectedGitDir);
  const location = { cwd: root, gitDir, workTree: root };
  const configOverrides = await repositoryFilterOverrides(location);
  return (args, options = {}) => runGit(args, { ...options, ...location, configOverrides });
}
