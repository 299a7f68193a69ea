export { type ApplyEditsOptions, applyEdits } from './apply-edits.ts';
export { type EditSizeLimits, editPayloadBytes } from './apply-size-limits.ts';
export {
  type CommitOptions,
  type CommitResult,
  commitAll,
  type GitIdentity,
  parseGitIdentity,
  runTrailer,
  stepTrailer,
} from './commit-all.ts';
export {
  type CommitFileSelection,
  changesSinceBase,
  restoreToBase,
  selectCommitFiles,
} from './commit-file-selection.ts';
export {
  forcedGitConfig,
  type GitCommandOptions,
  type GitCommandResult,
  gitEnvironment,
  runGit,
} from './git-command.ts';
export { GitWorkspace, type GitWorkspaceLocation } from './git-workspace.ts';
export {
  branchSlug,
  GitWorkspaceProvider,
  type GitWorkspaceProviderOptions,
  type RunWorkspaceRecord,
} from './git-workspace-provider.ts';
export type { MatchStrategy } from './hunk-application.ts';
export { type GuardedPath, guardPath, type PathCheck } from './path-guard.ts';
export {
  applyRunChange,
  deleteRunBranch,
  type FastForwardOutcome,
  fastForwardBranch,
} from './run-branch-lifecycle.ts';
export { openWorktreeGit, type WorktreeGit } from './worktree-git.ts';
export { findWorktreeGitDir, verifyWorktreeMetadata, type WorktreeGitLocation } from './worktree-metadata.ts';
export { gitWorktreeSnapshots, type SnapshotGit } from './worktree-snapshot.ts';
