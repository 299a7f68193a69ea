import { lstatSync } from 'node:fs';
import path from 'node:path';
import { runGit as runHardenedGit, verifyWorktreeMetadata } from '@orchestrator/git';
import { OrchestratorError } from '@orchestrator/spec';
import { gitCommandFailed } from './forge-errors.ts';

export interface GitCommandOptions {
  /** Working directory. */
  cwd: string;
  /** The git directory, passed as `--git-dir`: git never discovers a repository through a `.git` it finds. */
  gitDir?: string;
  /** The working tree, passed as `--work-tree` (with `gitDir`). */
  workTree?: string;
  /** Extra environment (e.g. `GIT_CONFIG_*` to pass credentials without putting them on the command line). */
  env?: Record<string, string>;
  /** Exit codes that are results rather than failures (e.g. 1 for `merge-tree` conflicts). */
  acceptExitCodes?: readonly number[];
  /** Transports this command may use (`file`, `https`…); every other one stays off (`protocol.allow=never`). */
  protocols?: readonly string[];
}

export interface GitCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs git through the hardened runner of `@orchestrator/git` (hooks, fsmonitor, ssh, askpass, credential helpers,
 * pager, editor, external diff and textconv forced off, the user's global and system configuration ignored, inherited
 * `GIT_*` variables dropped); throws `forge-git-failed` when git fails.
 */
export async function runGit(args: readonly string[], options: GitCommandOptions): Promise<GitCommandResult> {
  try {
    return await runHardenedGit(args, {
      cwd: options.cwd,
      ...(options.gitDir === undefined ? {} : { gitDir: options.gitDir }),
      ...(options.workTree === undefined ? {} : { workTree: options.workTree }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.acceptExitCodes === undefined ? {} : { acceptExitCodes: options.acceptExitCodes }),
      configOverrides: (options.protocols ?? []).map((protocol) => `protocol.${protocol}.allow=always`),
    });
  } catch (error) {
    if (OrchestratorError.isInstance(error) && error.code === 'git-command-failed') {
      throw gitCommandFailed(args, error.message, error);
    }
    throw error;
  }
}

/**
 * Where a working copy's repository is, named explicitly for every command: a linked worktree's `.git` pointer is
 * verified (`workspace-git-metadata-changed` when tampered with), a plain clone uses its `.git` directory, a bare
 * repository is its own git directory. Git is never left to discover the repository from the directory.
 */
export function workingCopyLocation(workingCopy: string): { cwd: string; gitDir: string; workTree?: string } {
  const pointer = path.join(workingCopy, '.git');
  const info = (() => {
    try {
      return lstatSync(pointer);
    } catch {
      return undefined;
    }
  })();
  if (info === undefined) return { cwd: workingCopy, gitDir: workingCopy };
  if (info.isDirectory()) return { cwd: workingCopy, gitDir: pointer, workTree: workingCopy };
  return { cwd: workingCopy, gitDir: verifyWorktreeMetadata(workingCopy).gitDir, workTree: workingCopy };
}
