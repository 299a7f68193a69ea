import { execFile } from 'node:child_process';
import { gitCommandFailed } from './forge-errors.ts';

export interface GitCommandOptions {
  /** Working directory (a working copy, or any directory when `--git-dir` is passed). */
  cwd: string;
  /** Extra environment (e.g. `GIT_CONFIG_*` to pass credentials without putting them on the command line). */
  env?: Record<string, string>;
  /** Exit codes that are results rather than failures (e.g. 1 for `merge-tree` conflicts). */
  acceptExitCodes?: readonly number[];
}

export interface GitCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs git with a fixed, non-interactive environment and returns its output; throws `forge-git-failed` otherwise. */
export function runGit(args: readonly string[], options: GitCommandOptions): Promise<GitCommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd: options.cwd,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          LC_ALL: 'C',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (exitCode === 0 || options.acceptExitCodes?.includes(exitCode)) {
          resolve({ stdout, stderr, exitCode });
          return;
        }
        reject(gitCommandFailed(args, stderr || String(error?.message ?? ''), error));
      },
    );
  });
}
