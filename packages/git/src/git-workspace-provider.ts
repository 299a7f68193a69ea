import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceProvider } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import { z } from 'zod';
import { repositoryFilterOverrides, runGit } from './git-command.ts';
import { GitWorkspace } from './git-workspace.ts';
import {
  at,
  comparablePath,
  excludeDataDirectory,
  listWorktrees,
  mergeBase,
  type RepositoryLocation,
  refExists,
  resolveCommit,
  resolveRepository,
  worktreeState,
} from './repository-queries.ts';
import { deleteRunBranch } from './run-branch-lifecycle.ts';
import { findWorktreeGitDir, verifyWorktreeMetadata } from './worktree-metadata.ts';

const providerOptionsSchema = z.object({
  dataDir: z.string().min(1),
  branchPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, ".", "_", "-" and "/" only')
    .exactOptional(),
});

/** Configuration of the provider, chosen by the composition root. */
export interface GitWorkspaceProviderOptions {
  /** The orchestrator's data directory; worktrees go to `<dataDir>/worktrees/<runId>`. */
  dataDir: string;
  /** Prefix of run branches, used as is: the branch is `<prefix><runId>-<slug>` (default `orchestrator/`). */
  branchPrefix?: string;
}

const openOptionsSchema = z.object({
  repo: z.string().min(1),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-", at most 128'),
  slug: z.string(),
  baseRef: z.string().min(1).exactOptional(),
});

const metadataSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  repo: z.string(),
  branch: z.string(),
  baseCommit: z.string().regex(/^[0-9a-f]{40,64}$/),
});
type WorkspaceMetadata = z.infer<typeof metadataSchema>;

/** What the data directory remembers of a run's workspace. */
export interface RunWorkspaceRecord {
  runId: string;
  /** The user's repository (real path). */
  repo: string;
  branch: string;
  baseCommit: string;
  /** Where its worktree is (or was). */
  worktree: string;
}

/** A word of 16+ characters mixing letters and digits: the shape of a key or token, never of a task's words. */
const credentialLikeWord = /^(?=[a-z0-9]*[a-z])(?=[a-z0-9]*[0-9])[a-z0-9]{16,}$/;

/**
 * Lowercase kebab-case slug for a branch name, at most 48 characters. Branch names are pushed and listed everywhere,
 * so credential-shaped words are dropped even when the task was not redacted upstream.
 */
export function branchSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !credentialLikeWord.test(word))
    .join('-')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'task' : slug;
}

function invalid(code: string, message: string, hint: string): UserError {
  return new UserError({ code, message, hint });
}

/**
 * Opens one git worktree per run under `<dataDir>/worktrees/<runId>`, on its own branch `orchestrator/<runId>-<slug>`,
 * created from the user's repository without touching its working tree, index, HEAD or existing branches. Opening the
 * same run id again reopens (or, if it was deleted, recreates) the same worktree on the same branch.
 */
export class GitWorkspaceProvider implements WorkspaceProvider {
  readonly #dataDir: string;
  readonly #branchPrefix: string;
  readonly #pending = new Map<string, Promise<GitWorkspace>>();

  constructor(options: GitWorkspaceProviderOptions) {
    const parsed = providerOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw invalid(
        'workspace-options-invalid',
        `invalid workspace options: ${z.prettifyError(parsed.error)}`,
        'Pass { dataDir, branchPrefix? }.',
      );
    }
    this.#dataDir = path.resolve(parsed.data.dataDir);
    this.#branchPrefix = parsed.data.branchPrefix ?? 'orchestrator/';
  }

  /** Directory holding the worktree of a run. */
  worktreePath(runId: string): string {
    return path.join(this.#dataDir, 'worktrees', runId);
  }

  open(options: { repo: string; runId: string; slug: string; baseRef?: string }): Promise<GitWorkspace> {
    const parsed = openOptionsSchema.safeParse(options);
    if (!parsed.success) {
      return Promise.reject(
        invalid(
          'workspace-options-invalid',
          `invalid workspace request: ${z.prettifyError(parsed.error)}`,
          'Check the run id and repository path.',
        ),
      );
    }
    const key = parsed.data.runId;
    const previous = this.#pending.get(key) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.#open(parsed.data));
    this.#pending.set(key, next);
    return next;
  }

  /** The record of a run's workspace (repository, branch, base commit), or undefined when it never had one. */
  async record(runId: string): Promise<RunWorkspaceRecord | undefined> {
    const metadata = await this.#readMetadata(runId);
    return metadata === undefined
      ? undefined
      : {
          runId,
          repo: metadata.repo,
          branch: metadata.branch,
          baseCommit: metadata.baseCommit,
          worktree: this.worktreePath(runId),
        };
  }

  /** Every run workspace recorded in the data directory (a corrupt record is skipped). */
  async records(): Promise<RunWorkspaceRecord[]> {
    const names = await readdir(path.join(this.#dataDir, 'worktrees')).catch(() => [] as string[]);
    const found: RunWorkspaceRecord[] = [];
    for (const name of names.filter((entry) => entry.endsWith('.json')).sort()) {
      const record = await this.record(name.slice(0, -'.json'.length)).catch(() => undefined);
      if (record !== undefined) found.push(record);
    }
    return found;
  }

  /** Forgets a run's workspace entirely: its worktree, then its branch in the repository, then its record. */
  async removeWithBranch(runId: string): Promise<{ branchDeleted: boolean }> {
    const metadata = await this.#readMetadata(runId);
    await this.remove(runId);
    if (metadata === undefined) return { branchDeleted: false };
    const branchDeleted = await deleteRunBranch(metadata.repo, metadata.branch).catch(() => false);
    if (branchDeleted) await rm(`${this.worktreePath(runId)}.json`, { force: true });
    return { branchDeleted };
  }

  /** Removes a run's worktree (the branch and its commits stay in the repository). */
  async remove(runId: string): Promise<void> {
    const metadata = await this.#readMetadata(runId);
    const worktree = this.worktreePath(runId);
    const repo = metadata === undefined ? undefined : await resolveRepository(metadata.repo).catch(() => undefined);
    if (repo !== undefined && findWorktreeGitDir(repo.commonDir, worktree) !== undefined) {
      // Removing never reads the worktree's own .git, so a tampered worktree can be removed too.
      await runGit(['worktree', 'remove', '--force', worktree], { ...at(repo), acceptExitCodes: [128] });
    }
    await rm(worktree, { recursive: true, force: true });
  }

  /**
   * Makes sure the run's worktree exists on its branch. A leftover directory that is not a worktree is replaced; a
   * worktree switched to another branch, or the branch checked out somewhere else, is reported, never overwritten.
   * Only this run's own stale registration is overridden (no `git worktree prune` of the user's other worktrees).
   */
  async #ensureWorktree(repo: RepositoryLocation, worktree: string, metadata: WorkspaceMetadata): Promise<void> {
    const state = await worktreeState(repo, worktree, metadata.branch);
    if (state === 'ready') return;
    if (state === 'other-branch') {
      throw invalid(
        'workspace-branch-mismatch',
        `the worktree ${worktree} is no longer on ${metadata.branch}`,
        `Check it out again (git -C ${worktree} switch ${metadata.branch}) or remove the worktree, then retry.`,
      );
    }
    await excludeDataDirectory(repo, this.#dataDir);
    await rm(worktree, { recursive: true, force: true });
    await mkdir(path.dirname(worktree), { recursive: true });
    const target = await comparablePath(worktree);
    const registered = await listWorktrees(repo);
    const branchRef = `refs/heads/${metadata.branch}`;
    let staleRegistration = false;
    for (const entry of registered) {
      const samePath = (await comparablePath(entry.path)) === target;
      if (samePath) staleRegistration = true;
      else if (entry.branch === branchRef) {
        throw invalid(
          'workspace-branch-in-use',
          `${metadata.branch} is checked out in another worktree (${entry.path})`,
          'Switch that worktree to another branch or remove it, then retry.',
        );
      }
    }
    const force = staleRegistration ? ['--force'] : [];
    const args = (await refExists(repo, branchRef))
      ? ['worktree', 'add', '--quiet', ...force, worktree, metadata.branch]
      : ['worktree', 'add', '--quiet', ...force, '-b', metadata.branch, worktree, metadata.baseCommit];
    // The checkout runs the repository's filters: neutralize them like every other command's.
    await runGit(args, { ...at(repo), configOverrides: await repositoryFilterOverrides(at(repo)) });
  }

  async #open(request: z.infer<typeof openOptionsSchema>): Promise<GitWorkspace> {
    const repo = await resolveRepository(request.repo);
    const worktree = this.worktreePath(request.runId);
    let metadata = await this.#readMetadata(request.runId);
    if (metadata !== undefined && metadata.repo !== repo.path) {
      throw invalid(
        'workspace-run-conflict',
        `run ${request.runId} already has a workspace for another repository (${metadata.repo})`,
        'Use a new run id for a different repository.',
      );
    }
    if (metadata === undefined) {
      const branch = `${this.#branchPrefix}${request.runId}-${branchSlug(request.slug)}`;
      const valid = await runGit(['check-ref-format', '--branch', branch], { ...at(repo), acceptExitCodes: [1, 128] });
      if (valid.exitCode !== 0) {
        throw invalid('branch-name-invalid', `"${branch}" is not a valid branch name`, 'Choose another branch prefix.');
      }
      const branchExists = await refExists(repo, `refs/heads/${branch}`);
      const baseCommit = branchExists
        ? await mergeBase(repo, branch, request.baseRef ?? 'HEAD')
        : await resolveCommit(repo, request.baseRef ?? 'HEAD');
      metadata = { version: 1, runId: request.runId, repo: repo.path, branch, baseCommit };
      await this.#writeMetadata(metadata);
    }
    await this.#ensureWorktree(repo, worktree, metadata);
    const root = await realpath(worktree);
    const gitDir = findWorktreeGitDir(repo.commonDir, root);
    if (gitDir === undefined) {
      throw invalid(
        'workspace-not-registered',
        `${root} is not registered as a worktree of ${repo.path}`,
        `Remove ${root} and retry; the run's branch ${metadata.branch} is kept.`,
      );
    }
    verifyWorktreeMetadata(root, gitDir);
    return new GitWorkspace({
      root,
      branch: metadata.branch,
      baseCommit: metadata.baseCommit,
      runId: request.runId,
      repo: repo.path,
      gitDir,
    });
  }

  async #readMetadata(runId: string): Promise<WorkspaceMetadata | undefined> {
    const file = `${this.worktreePath(runId)}.json`;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = metadataSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw invalid(
        'workspace-metadata-invalid',
        `the workspace record ${file} is corrupt`,
        `Delete ${file} and the worktree next to it, then retry.`,
      );
    }
    return parsed.data;
  }

  async #writeMetadata(metadata: WorkspaceMetadata): Promise<void> {
    const file = `${this.worktreePath(metadata.runId)}.json`;
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(metadata, null, 2)}\n`);
    await rename(temporary, file);
  }
}
