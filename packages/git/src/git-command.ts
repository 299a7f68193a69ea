import { execFile } from 'node:child_process';
import { SystemError, UserError } from '@orchestrator/spec';

/** Options of one git invocation. */
export interface GitCommandOptions {
  /** Directory to run in. */
  cwd: string;
  /** The git directory, passed as `--git-dir` so that git never discovers it through a `.git` in `cwd`. */
  gitDir?: string;
  /** The working tree, passed as `--work-tree` (with `gitDir`). */
  workTree?: string;
  /** More `key=value` settings forced with `-c` (e.g. the repository's filter drivers, neutralized). */
  configOverrides?: readonly string[];
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

/**
 * Settings forced on every command (`-c` wins over every configuration file): nothing the repository, a worktree or
 * the machine configures may make the orchestrator's own git run a program. Filter drivers cannot be named in
 * advance; `repositoryFilterOverrides` neutralizes the ones a repository defines.
 */
export const forcedGitConfig: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.sshCommand=false',
  'core.askPass=',
  'core.pager=cat',
  'core.editor=false',
  'core.alternateRefsCommand=',
  'credential.helper=',
  'protocol.allow=never',
  'protocol.ext.allow=never',
  'submodule.recurse=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'color.ui=false',
];

/** Subcommands that can show diffs: external diff drivers and textconv programs are switched off for them. */
const diffingCommands = new Set(['diff', 'log', 'show']);

/**
 * The environment of a git command: the host's, minus every GIT_* variable (a parent git process or the user's shell
 * may redirect the repository, the index, the pager, the editor, ssh or askpass), with the system and global
 * configuration files and system attributes ignored.
 */
export function gitEnvironment(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('GIT_') || name === 'SSH_ASKPASS') continue;
    environment[name] = value;
  }
  return {
    ...environment,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_EDITOR: 'false',
    // Read-only commands (status, diff) must never refresh the user's index behind their back.
    GIT_OPTIONAL_LOCKS: '0',
    ...extra,
  };
}

/** The full argument vector of a command: forced settings, explicit git dir and work tree, then the command. */
export function gitArguments(args: readonly string[], options: Omit<GitCommandOptions, 'cwd'>): string[] {
  const settings = [...forcedGitConfig, ...(options.configOverrides ?? [])].flatMap((setting) => ['-c', setting]);
  const location = [
    ...(options.gitDir === undefined ? [] : [`--git-dir=${options.gitDir}`]),
    ...(options.workTree === undefined ? [] : [`--work-tree=${options.workTree}`]),
  ];
  const [command, ...rest] = args;
  const guarded =
    command !== undefined && diffingCommands.has(command) ? [command, '--no-ext-diff', '--no-textconv', ...rest] : args;
  return [...settings, ...location, ...guarded];
}

/**
 * Runs git with an argument vector (never a shell string), with every command-running setting forced off (hooks,
 * fsmonitor, ssh, askpass, credential helpers, pager, editor, external diff, textconv, transports) and the user's
 * global and system configuration ignored: the orchestrator's git must not run code from the repository it works on.
 */
export function runGit(args: readonly string[], options: GitCommandOptions): Promise<GitCommandResult> {
  const fullArgs = gitArguments(args, options);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      { cwd: options.cwd, env: gitEnvironment(options.env), maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT' && exitCode === -1) {
          reject(
            new UserError({
              code: 'git-not-found',
              message: 'git is not installed or not on the PATH',
              hint: 'Install git (2.32 or newer) and make sure `git --version` works in this shell.',
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

const filterCommand = /^filter\.(.+)\.(clean|smudge|process)$/i;

/**
 * `-c` settings that neutralize every filter driver the repository's configuration defines (an empty command means
 * "no filter"; `required=false` keeps git from failing on it), so that a `.gitattributes` in the worktree cannot make
 * the host run one. Global and system configuration are not read at all.
 */
export async function repositoryFilterOverrides(location: {
  cwd: string;
  gitDir?: string;
  workTree?: string;
}): Promise<string[]> {
  const listing = await runGit(['config', '--list', '--name-only', '-z'], { ...location, acceptExitCodes: [1] });
  const overrides = new Set<string>();
  for (const name of listing.stdout.split('\0')) {
    const match = filterCommand.exec(name.trim());
    if (match === null) continue;
    const driver = match[1]!;
    for (const key of ['clean', 'smudge', 'process']) overrides.add(`filter.${driver}.${key}=`);
    overrides.add(`filter.${driver}.required=false`);
  }
  return [...overrides];
}
