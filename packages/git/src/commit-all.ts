import type { Workspace } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import { z } from 'zod';
import { openWorktreeGit, type WorktreeGit } from './worktree-git.ts';

/** Trailer naming the run that produced a commit (provenance). */
export const runTrailer = 'Orchestrator-Run';
/** Trailer carrying the idempotency key of the step that made a commit. */
export const stepTrailer = 'Orchestrator-Step';

const identitySchema = z.object({
  name: z
    .string()
    .min(1)
    .regex(/^[^<>\n]+$/, 'a name may not contain <, > or a newline'),
  email: z
    .string()
    .min(3)
    .regex(/^[^<>\s]+@[^<>\s]+$/, 'expected an e-mail address'),
});

const trailerValue = z
  .string()
  .min(1)
  .regex(/^[^\n\r]+$/, 'a trailer value is one line');

const commitOptionsSchema = z.object({
  message: z.string().refine((text) => text.trim() !== '', 'the commit message is empty'),
  author: identitySchema,
  committer: identitySchema.exactOptional(),
  coAuthoredBy: z.array(identitySchema).exactOptional(),
  trailers: z
    .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a trailer key is letters, digits and -'), trailerValue)
    .exactOptional(),
  runId: trailerValue.exactOptional(),
  idempotencyKey: trailerValue.exactOptional(),
  date: z.date().exactOptional(),
  allowEmpty: z.boolean().exactOptional(),
  sign: z.boolean().exactOptional(),
});

/** A git identity. */
export type GitIdentity = z.infer<typeof identitySchema>;

/** How to commit a workspace's changes. */
export interface CommitOptions {
  /** The commit message (subject, blank line, body); trailers are appended after it. */
  message: string;
  /** Author of the commit. */
  author: GitIdentity;
  /** Committer; defaults to the author. */
  committer?: GitIdentity;
  /** Opt-in `Co-authored-by:` trailers (e.g. the human who asked for the change). Omitted unless given. */
  coAuthoredBy?: GitIdentity[];
  /** Extra trailers, in order (`Key: value`). */
  trailers?: Record<string, string>;
  /** Run id for the `Orchestrator-Run:` provenance trailer; defaults to the workspace's run. */
  runId?: string;
  /**
   * Idempotency key of the step (e.g. `<runId>/<stepId>`), written as `Orchestrator-Step:`. If a commit of this
   * workspace's branch since `baseCommit` already carries it, that commit is returned and nothing new is committed.
   */
  idempotencyKey?: string;
  /** Author and committer date (for reproducible commits); defaults to now. */
  date?: Date;
  /** Commit even when nothing changed. */
  allowEmpty?: boolean;
  /** GPG/SSH-sign the commit as the repository is configured to; off by default so no prompt can block a run. */
  sign?: boolean;
}

/** What `commitAll` did. */
export interface CommitResult {
  /** `created`: a new commit; `existing`: the step's earlier commit was found; `nothing-to-commit`: tree unchanged. */
  status: 'created' | 'existing' | 'nothing-to-commit';
  /** The commit id (HEAD of the branch for `nothing-to-commit`). */
  commit: string;
}

/** Parses `Name <email>` (as in the `git.coAuthoredBy` setting) into an identity. */
export function parseGitIdentity(text: string): GitIdentity {
  const match = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$/.exec(text);
  const parsed = identitySchema.safeParse(match === null ? {} : { name: match[1], email: match[2] });
  if (!parsed.success) {
    throw new UserError({
      code: 'identity-invalid',
      message: `"${text}" is not a git identity`,
      hint: 'Write it as `Name <email@example.com>`.',
    });
  }
  return parsed.data;
}

async function findStepCommit(git: WorktreeGit, baseCommit: string, key: string): Promise<string | undefined> {
  const log = await git([
    'log',
    '--format=%H%x00%(trailers:key=Orchestrator-Step,valueonly,separator=%x01)%x00',
    `${baseCommit}..HEAD`,
  ]);
  const fields = log.stdout.split('\0');
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const commit = fields[index]!.trim();
    const keys = fields[index + 1]!.split('\x01').map((value) => value.trim());
    if (keys.includes(key)) return commit;
  }
  return undefined;
}

function composeMessage(options: CommitOptions, runId: string | undefined): string {
  const trailers: string[] = Object.entries(options.trailers ?? {}).map(([key, value]) => `${key}: ${value}`);
  if (runId !== undefined) trailers.push(`${runTrailer}: ${runId}`);
  if (options.idempotencyKey !== undefined) trailers.push(`${stepTrailer}: ${options.idempotencyKey}`);
  for (const person of options.coAuthoredBy ?? []) trailers.push(`Co-authored-by: ${person.name} <${person.email}>`);
  const body = options.message.replace(/\r\n/g, '\n').trim();
  return trailers.length === 0 ? `${body}\n` : `${body}\n\n${trailers.join('\n')}\n`;
}

/**
 * Stages everything in the workspace (new, modified, deleted files) and commits it with the given author, an
 * `Orchestrator-Run` provenance trailer, an optional `Orchestrator-Step` idempotency trailer and opt-in
 * `Co-authored-by` trailers. Idempotent by `idempotencyKey`. Never runs repository hooks, filters or fsmonitor, and
 * refuses (`workspace-git-metadata-changed`) a worktree whose `.git` no longer points where git put it.
 */
export async function commitAll(
  workspace: Pick<Workspace, 'root' | 'baseCommit'> & { readonly runId?: string; readonly gitDir?: string },
  options: CommitOptions,
): Promise<CommitResult> {
  const parsed = commitOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new UserError({
      code: 'commit-options-invalid',
      message: `invalid commit options: ${z.prettifyError(parsed.error)}`,
      hint: 'Check the author identity (name and e-mail) and the trailers.',
    });
  }
  const git = await openWorktreeGit(workspace.root, workspace.gitDir);
  const head = async () => (await git(['rev-parse', 'HEAD'])).stdout.trim();
  if (options.idempotencyKey !== undefined) {
    const existing = await findStepCommit(git, workspace.baseCommit, options.idempotencyKey);
    if (existing !== undefined) return { status: 'existing', commit: existing };
  }
  await git(['add', '--all', '--', '.']);
  const staged = await git(['diff', '--cached', '--quiet'], { acceptExitCodes: [1] });
  if (staged.exitCode === 0 && options.allowEmpty !== true)
    return { status: 'nothing-to-commit', commit: await head() };
  const committer = options.committer ?? options.author;
  const env: Record<string, string> = { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
  if (options.date !== undefined) {
    env.GIT_AUTHOR_DATE = options.date.toISOString();
    env.GIT_COMMITTER_DATE = options.date.toISOString();
  }
  const args = [
    'commit',
    '--quiet',
    '--no-verify',
    '--cleanup=whitespace',
    `--author=${options.author.name} <${options.author.email}>`,
    '--file=-',
  ];
  if (options.allowEmpty === true) args.push('--allow-empty');
  if (options.sign !== true) args.push('--no-gpg-sign');
  await git(args, { env, input: composeMessage(options, options.runId ?? workspace.runId) });
  return { status: 'created', commit: await head() };
}
