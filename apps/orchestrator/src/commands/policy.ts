import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  detectProjectLicence,
  formatVerdict,
  loadPolicy,
  nodeModulesLicenceResolver,
  readFileChunks,
  reviewDiffStatically,
  reviewTargets,
  runGate,
  targetFromFile,
} from '@orchestrator/policy';
import { type GateName, gateNameSchema, type PolicyVerdict, SystemError, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { createOutput, exitCodes } from '../output/terminal.ts';

const maximumFileBytes = 2 * 1024 * 1024;
const hookMarker = '# orchestrator-policy-hook';

function git(repo: string, args: readonly string[]): string {
  try {
    return execFileSync('git', ['-c', 'core.quotepath=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new UserError({
      code: 'policy-git-failed',
      message: `git ${args.join(' ')} failed in ${repo}: ${stderr || String(error)}`,
      hint: 'Run the command inside a git repository (or pass --repo), and check that the --base ref exists.',
    });
  }
}

/** A file to scan (or one chunk of a large one), and the files that were not scanned with the reason. */
interface ReadResult {
  files: Array<{ path: string; content: string; firstLine?: number }>;
  skipped: Array<{ path: string; reason: string }>;
}

function isBinary(absolute: string): boolean {
  const descriptor = openSync(absolute, 'r');
  try {
    const head = Buffer.alloc(8000);
    const read = readSync(descriptor, head, 0, head.length, 0);
    return head.subarray(0, read).includes(0);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Text files under the given paths (directories are walked; .git and node_modules are skipped). Nothing is skipped
 * silently: files over 2 MiB are read in chunks of whole lines; binary files and other non-regular files are listed
 * in `skipped` with the reason, and the verdict's notes name them.
 */
function readFiles(repo: string, paths: readonly string[]): ReadResult {
  const result: ReadResult = { files: [], skipped: [] };
  const visit = (absolute: string) => {
    const stats = statSync(absolute, { throwIfNoEntry: false });
    if (stats === undefined) {
      throw new UserError({
        code: 'policy-path-missing',
        message: `${absolute} does not exist.`,
        hint: 'Pass existing files or directories.',
      });
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(absolute).sort()) {
        if (name !== '.git' && name !== 'node_modules') visit(join(absolute, name));
      }
      return;
    }
    const path = relative(repo, absolute) || absolute;
    if (!stats.isFile()) {
      result.skipped.push({ path, reason: 'not a regular file' });
      return;
    }
    if (stats.size > 0 && isBinary(absolute)) {
      result.skipped.push({ path, reason: 'binary file' });
      return;
    }
    if (stats.size <= maximumFileBytes) {
      result.files.push({ path, content: readFileSync(absolute, 'utf8') });
      return;
    }
    for (const chunk of readFileChunks(absolute)) result.files.push({ path, ...chunk });
  };
  for (const path of paths) visit(isAbsolute(path) ? path : resolve(process.cwd(), path));
  return result;
}

interface CheckOptions {
  repo: string;
  json?: boolean;
  staged?: boolean;
  base?: string;
  commitMessageFile?: string;
  gate: string;
  role: string;
  approve?: boolean;
}

function printVerdict(verdict: PolicyVerdict): void {
  const text = formatVerdict(verdict);
  const colour = verdict.verdict === 'pass' ? pc.green : verdict.verdict === 'warn' ? pc.yellow : pc.red;
  const [header = '', ...rest] = text.split('\n');
  process.stdout.write(`${colour(header)}\n${rest.length > 0 ? `${rest.join('\n')}\n` : ''}`);
}

function stops(verdict: PolicyVerdict, approved: boolean): boolean {
  return verdict.verdict === 'block' || (verdict.verdict === 'require-approval' && !approved);
}

function changeDiff(repo: string, options: { staged?: boolean; base?: string }): string {
  if (options.base !== undefined)
    return git(repo, ['diff', '--no-color', '--no-ext-diff', '--no-renames', `${options.base}...HEAD`]);
  return git(repo, ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames']);
}

async function check(paths: string[], options: CheckOptions): Promise<void> {
  const repo = repoPath(options);
  const output = createOutput(options.json === true);
  const gate = gateNameSchema.safeParse(options.gate);
  if (!gate.success) {
    throw new UserError({
      code: 'cli-invalid-option',
      message: `--gate must be one of ${gateNameSchema.options.join(', ')}, got ${JSON.stringify(options.gate)}.`,
      hint: 'Pass e.g. --gate pre-commit',
    });
  }
  const { policy } = await loadPolicy(repo);
  const useDiff =
    options.staged === true ||
    options.base !== undefined ||
    (paths.length === 0 && options.commitMessageFile === undefined);
  const diff = useDiff ? changeDiff(repo, options) : undefined;
  const { files, skipped } = paths.length > 0 ? readFiles(repo, paths) : { files: [], skipped: [] };
  const commitMessage =
    options.commitMessageFile === undefined
      ? undefined
      : readFileSync(options.commitMessageFile, 'utf8')
          .split('\n')
          .filter((line) => !line.startsWith('#'))
          .join('\n');
  const projectLicence = policy.projectLicence ?? detectProjectLicence(repo);
  const verdict = await runGate({
    gate: gate.data as GateName,
    ...(diff === undefined ? {} : { diff }),
    files,
    skipped,
    ...(commitMessage === undefined ? {} : { commitMessage }),
    policy,
    ...(projectLicence === undefined ? {} : { projectLicence }),
    resolveDependencyLicence: nodeModulesLicenceResolver(repo),
    role: options.role,
  });
  output.data(verdict, () => printVerdict(verdict));
  if (stops(verdict, options.approve === true)) {
    if (!output.json) {
      process.stderr.write(
        `${pc.red('error')} ${pc.dim('[policy-blocked]')} the ${verdict.gate} gate ${verdict.verdict === 'block' ? 'blocked' : 'needs approval for'} this change; nothing was committed.\n  ${pc.cyan('→')} fix each finding above, or allowlist it (with a reason and an expiry) in orchestrator.policy.yaml${verdict.verdict === 'require-approval' ? ', or re-run with --approve' : ''}.\n`,
      );
    }
    process.exitCode = exitCodes.user;
  }
}

async function review(paths: string[], options: CheckOptions): Promise<void> {
  const repo = repoPath(options);
  const output = createOutput(options.json === true);
  const findings =
    paths.length > 0
      ? reviewTargets(
          readFiles(repo, paths).files.map((file) => targetFromFile(file.path, file.content, file.firstLine)),
        )
      : reviewDiffStatically(changeDiff(repo, options));
  output.data({ findings }, () => {
    if (findings.length === 0) process.stdout.write(`${pc.green('review: no finding')}\n`);
    for (const finding of findings) {
      process.stdout.write(
        `${finding.path}:${finding.line ?? 1}  [${finding.ruleId}] (${finding.severity}) ${finding.message}\n    fix: ${finding.fix}\n`,
      );
    }
  });
  if (findings.some((finding) => finding.severity === 'high' || finding.severity === 'critical')) {
    process.exitCode = exitCodes.user;
  }
}

function installHook(options: { repo: string; force?: boolean; json?: boolean }): void {
  const repo = repoPath(options);
  const output = createOutput(options.json === true);
  const hooksDirectory = resolve(repo, git(repo, ['rev-parse', '--git-path', 'hooks']).trim());
  mkdirSync(hooksDirectory, { recursive: true });
  const bin = fileURLToPath(new URL('../bin.ts', import.meta.url));
  const node = process.execPath;
  const hooks = {
    'pre-commit': `policy check --staged --gate pre-commit --role human`,
    'commit-msg': `policy check --commit-msg-file "$1" --gate pre-commit --role human`,
  };
  const written: string[] = [];
  for (const [name, args] of Object.entries(hooks)) {
    const path = join(hooksDirectory, name);
    if (existsSync(path) && !readFileSync(path, 'utf8').includes(hookMarker) && options.force !== true) {
      throw new UserError({
        code: 'policy-hook-exists',
        message: `${path} already exists and was not written by orchestrator.`,
        hint: 'Add the line `orchestrator policy check --staged` to your existing hook, or re-run with --force to replace it.',
      });
    }
    const script = `#!/bin/sh\n${hookMarker}\n# Written by \`orchestrator policy install-hook\`; blocks commits that add secrets, personal data or incompatible licences.\nexec "${node}" "${bin}" ${args} --repo "$(git rev-parse --show-toplevel)"\n`;
    try {
      writeFileSync(path, script);
      chmodSync(path, 0o755);
    } catch (error) {
      throw new SystemError({
        code: 'policy-hook-write-failed',
        message: `Could not write ${path}.`,
        hint: 'Check the permissions of .git/hooks.',
        cause: error,
      });
    }
    written.push(path);
  }
  output.data({ hooks: written }, () => {
    for (const path of written) process.stdout.write(`${pc.green('installed')} ${path}\n`);
  });
}

export function register(program: Command): void {
  const policy = program
    .command('policy')
    .description('scan changes for secrets, personal data and licences, and enforce orchestrator.policy.yaml');

  const checkCommand = policy
    .command('check')
    .description('run a policy gate over the staged change (default), a branch diff (--base) or files and directories')
    .argument('[paths...]', 'files or directories to scan whole, instead of a diff')
    .option('--staged', 'scan the staged change (git diff --cached); the default when no path is given')
    .option('--base <ref>', 'scan the changes of HEAD since its merge base with <ref> (e.g. origin/main)')
    .option('--commit-msg-file <file>', 'also scan this commit message file (as the commit-msg hook passes)')
    .option('--gate <gate>', `which gate this is (${gateNameSchema.options.join(', ')})`, 'pre-commit')
    .option('--role <role>', 'who made the change, as seen by rules (`role`)', 'human')
    .option('--approve', 'approve findings whose action is require-approval');
  addRepoOption(checkCommand);
  addJsonOption(checkCommand);
  checkCommand.action(async (paths: string[], options: CheckOptions & { commitMsgFile?: string }) => {
    await check(paths, {
      ...options,
      ...(options.commitMsgFile === undefined ? {} : { commitMessageFile: options.commitMsgFile }),
    });
  });

  const reviewCommand = policy
    .command('review')
    .description('run the static security reviewer over a diff (default: staged; --base for a branch) or files')
    .argument('[paths...]', 'files or directories to review whole')
    .option('--staged', 'review the staged change (the default)')
    .option('--base <ref>', 'review the changes of HEAD since its merge base with <ref>');
  addRepoOption(reviewCommand);
  addJsonOption(reviewCommand);
  reviewCommand.action(async (paths: string[], options: CheckOptions) =>
    review(paths, { ...options, gate: 'review', role: 'human' }),
  );

  const hookCommand = policy
    .command('install-hook')
    .description('install git pre-commit and commit-msg hooks that run `orchestrator policy check`')
    .option('--force', 'replace existing hooks that were not written by orchestrator');
  addRepoOption(hookCommand);
  addJsonOption(hookCommand);
  hookCommand.action((options: { repo: string; force?: boolean; json?: boolean }) => installHook(options));
}
