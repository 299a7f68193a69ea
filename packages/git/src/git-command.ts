import { execFile } from 'node:child_process';
import { SystemError, UserError } from '@orchestrator/spec';

/** Options of one git invocation. */
export interface GitCommandOptions {
  /** Directory to run in. */
  cwd: string;
  /** Extra environment variables (applied after the inherited git variables are removed). */
  env?: Readonly<Record<string, string>>;
  /** Text written to standard input. */
  input?: string;
  /** Exit codes that are results rather than failures (e.g. 1 for `git diff --quiet`). */
  acceptExitCodes?: readonly number[];
}

export interface GitCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

// Variables a parent git process (a hook, `git rebase -x`) may have set, which would redirect our commands elsewhere.
const inheritedGitVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];

function commandEnvironment(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of inheritedGitVariables) delete environment[name];
  return {
    ...environment,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // Read-only commands (status, diff) must never refresh the user's index behind their back.
    GIT_OPTIONAL_LOCKS: '0',
    ...extra,
  };
}

/**
 * Runs git with an argument vector (never a shell string). Repository hooks are disabled (`core.hooksPath=/dev/null`):
 * the orchestrator's commits and checkouts must not run code from the repository it works on.
 */
export function runGit(args: readonly string[], options: GitCommandOptions): Promise<GitCommandResult> {
  const fullArgs = ['-c', 'core.hooksPath=/dev/null', '-c', 'color.ui=false', ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      { cwd: options.cwd, env: commandEnvironment(options.env), maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT' && exitCode === -1) {
          reject(
            new UserError({
              code: 'git-not-found',
              message: 'git is not installed or not on the PATH',
              hint: 'Install git (2.25 or newer) and make sure `git --version` works in this shell.',
              cause: error,
            }),
          );
          return;
        }
        if (exitCode !== 0 && !(options.acceptExitCodes ?? []).includes(exitCode)) {
          reject(
            new SystemError({
              code: 'git-command-failed',
              message: `git ${args[0] ?? ''} failed (exit ${exitCode}): ${stderr.trim().slice(0, 2000)}`,
              hint: 'See the git message above; the repository may be locked or in an unexpected state.',
              details: { args: [...args], exitCode, cwd: options.cwd },
              cause: error,
            }),
          );
          return;
        }
        resolve({ stdout, stderr, exitCode });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
