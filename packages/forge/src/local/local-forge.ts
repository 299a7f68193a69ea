import { join } from 'node:path';
import { fastForwardBranch } from '@orchestrator/git';
import type {
  CheckStatus,
  CheckStatusInput,
  Forge,
  ListPullRequestsOptions,
  MergeOptions,
  MergeResult,
  OpenPullRequestInput,
  OpenPullRequestResult,
  PullRequest,
  PushResult,
  ReviewComment,
  ReviewCommentInput,
} from '@orchestrator/spec';
import { branchNotPushed, pullRequestNotFound, pullRequestNotOpen } from '../forge-errors.ts';
import { runGit, workingCopyLocation } from '../git-command.ts';
import { BareRepository, bareRepositoryPath, type CommitIdentity } from './bare-repository.ts';
import { PullRequestDatabase } from './pull-request-database.ts';

export interface LocalForgeOptions {
  /** The orchestrator's data directory; the forge lives in `<dataDir>/forge/`. */
  dataDir: string;
  /** The user's repository the forge stands in as the remote of (read only: base branches are pushed from it). */
  sourceRepository: string;
  /** Author of merge commits; defaults to `Orchestrator <orchestrator@localhost>`. */
  identity?: CommitIdentity;
  /** Who posts review comments when the caller does not say; defaults to `orchestrator`. */
  author?: string;
  /** Clock, for tests. */
  now?: () => string;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * The embedded default forge: a bare repository under the data directory acts as the remote, pull requests are
 * records in a SQLite database next to it, and a merge is a real merge commit on the bare repository's base branch.
 */
export class LocalForge implements Forge {
  readonly specificationVersion = 'v1' as const;
  readonly kind = 'local';
  readonly repository: string;
  /** Absolute path of the bare repository (clone it to inspect merged results). */
  readonly bareRepositoryPath: string;
  private readonly bare: BareRepository;
  private readonly database: PullRequestDatabase;
  private readonly sourceRepository: string;
  private readonly identity: CommitIdentity;
  private readonly author: string;
  private ensured = false;

  constructor(options: LocalForgeOptions) {
    this.bareRepositoryPath = bareRepositoryPath(options.dataDir, options.sourceRepository);
    this.bare = new BareRepository(this.bareRepositoryPath);
    this.repository = this.bare.name;
    this.sourceRepository = options.sourceRepository;
    this.identity = options.identity ?? { name: 'Orchestrator', email: 'orchestrator@localhost' };
    this.author = options.author ?? 'orchestrator';
    this.database = new PullRequestDatabase({
      file: join(options.dataDir, 'forge', 'pull-requests.sqlite'),
      repository: this.repository,
      url: (number) => `local-forge:${this.repository}/pull/${number}`,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  private async ensureBare(): Promise<void> {
    if (this.ensured) return;
    await this.bare.ensureExists();
    this.ensured = true;
  }

  /**
   * Brings the base branch over from the user's repository: copied the first time, fast-forwarded later when the user's
   * branch moved ahead. When the forge's base has diverged (pull requests were merged here), the forge's copy wins.
   */
  private async ensureBase(base: string): Promise<void> {
    await this.ensureBare();
    const existing = await this.bare.branchSha(base);
    try {
      await this.bare.pushFrom(this.sourceRepository, `refs/heads/${base}`, base, false);
    } catch (error) {
      if (existing === undefined) throw error;
    }
    if (existing === undefined) await this.bare.setDefaultBranch(base);
  }

  async pushBranch(options: { workingCopy: string; branch: string; force?: boolean }): Promise<PushResult> {
    await this.ensureBare();
    const local = (await runGit(['rev-parse', 'HEAD'], workingCopyLocation(options.workingCopy))).stdout.trim();
    const before = await this.bare.branchSha(options.branch);
    if (before !== local) await this.bare.pushFrom(options.workingCopy, 'HEAD', options.branch, options.force === true);
    const open = this.database.findOpen(options.branch);
    if (open !== undefined && open.headSha !== local) {
      this.database.update(open.number, { headSha: local, diff: await this.bare.diff(open.base, open.head) });
    }
    return { branch: options.branch, sha: local, updated: before !== local };
  }

  async findOpenPullRequest(head: string): Promise<PullRequest | undefined> {
    return this.database.findOpen(head);
  }

  async openPullRequest(input: OpenPullRequestInput): Promise<OpenPullRequestResult> {
    await this.ensureBase(input.base);
    const headSha = await this.bare.branchSha(input.head);
    if (headSha === undefined) {
      throw branchNotPushed(input.head);
    }
    const diff = await this.bare.diff(input.base, input.head);
    const { number, created } = this.database.transaction(() => {
      const existing = this.database.findOpen(input.head);
      if (existing !== undefined) return { number: existing.number, created: false };
      return {
        number: this.database.insert({
          title: input.title,
          body: input.body,
          base: input.base,
          head: input.head,
          headSha,
          diff,
        }),
        created: true,
      };
    });
    if (input.labels !== undefined && input.labels.length > 0) await this.addLabels(number, input.labels);
    if (input.reviewers !== undefined && input.reviewers.length > 0)
      await this.requestReviewers(number, input.reviewers);
    return { pullRequest: await this.require(number), created };
  }

  private async require(number: number): Promise<PullRequest> {
    const pullRequest = this.database.get(number);
    if (pullRequest === undefined) throw pullRequestNotFound(this.repository, number);
    return pullRequest;
  }

  async getPullRequest(number: number): Promise<PullRequest | undefined> {
    return this.database.get(number);
  }

  async listPullRequests(options: ListPullRequestsOptions = {}): Promise<PullRequest[]> {
    return this.database.list(options.state ?? 'open', options.head);
  }

  async getDiff(number: number): Promise<string> {
    const pullRequest = await this.require(number);
    if (pullRequest.state !== 'open') return this.database.storedDiff(number);
    await this.ensureBare();
    return this.bare.diff(pullRequest.base, pullRequest.head);
  }

  async updatePullRequest(number: number, changes: { title?: string; body?: string }): Promise<PullRequest> {
    await this.require(number);
    this.database.update(number, changes);
    return this.require(number);
  }

  async mergePullRequest(number: number, options: MergeOptions = {}): Promise<MergeResult> {
    const pullRequest = await this.require(number);
    if (pullRequest.state !== 'open') {
      return { merged: false, reason: 'not-open', message: `Pull request #${number} is ${pullRequest.state}.` };
    }
    const blocking = this.database
      .listCheckStatuses(number)
      .filter((check) => check.required && check.state !== 'success');
    if (blocking.length > 0) {
      return {
        merged: false,
        reason: 'checks-failing',
        message: `Required checks are not green: ${blocking.map((check) => `${check.name} (${check.state})`).join(', ')}.`,
      };
    }
    await this.ensureBase(pullRequest.base);
    const diff = await this.bare.diff(pullRequest.base, pullRequest.head);
    const sha = await this.bare.merge({
      base: pullRequest.base,
      head: pullRequest.head,
      message: options.message ?? `Merge pull request #${number}: ${pullRequest.title}`,
      squash: options.method === 'squash',
      identity: this.identity,
    });
    if (sha === undefined) {
      return {
        merged: false,
        reason: 'conflict',
        message: `${pullRequest.head} does not merge cleanly into ${pullRequest.base}.`,
      };
    }
    this.database.update(number, { state: 'merged', mergeCommitSha: sha, diff });
    return { merged: true, sha, userBranch: await this.bringMergeHome(pullRequest.base, sha) };
  }

  /**
   * The local forge stands in for the user's remote, so a merge here reaches their repository: the merge commit is
   * fetched into it and the base branch fast-forwarded when that is safe (see `fastForwardBranch`); otherwise nothing
   * moves and the detail says which command brings the merge in.
   */
  private async bringMergeHome(
    base: string,
    sha: string,
  ): Promise<{ branch: string; status: 'updated' | 'up-to-date' | 'not-updated'; detail?: string }> {
    try {
      const outcome = await fastForwardBranch({
        repo: this.sourceRepository,
        branch: base,
        commit: sha,
        fetchFrom: { path: this.bare.path, ref: `refs/heads/${base}` },
      });
      if (outcome.status === 'updated' || outcome.status === 'up-to-date')
        return { branch: base, status: outcome.status };
      return { branch: base, status: 'not-updated', detail: 'hint' in outcome ? outcome.hint : '' };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        branch: base,
        status: 'not-updated',
        detail: `${reason}; bring the merge in with: git -C ${this.sourceRepository} pull ${this.bare.path} ${base}`,
      };
    }
  }

  async closePullRequest(number: number): Promise<PullRequest> {
    const pullRequest = await this.require(number);
    if (pullRequest.state === 'merged') throw pullRequestNotOpen(number, pullRequest.state);
    if (pullRequest.state === 'open') {
      this.database.update(number, { state: 'closed', diff: await this.getDiff(number) });
    }
    return this.require(number);
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    const pullRequest = await this.require(number);
    this.database.update(number, { labels: unique([...pullRequest.labels, ...labels]) });
  }

  async requestReviewers(number: number, reviewers: readonly string[]): Promise<void> {
    const pullRequest = await this.require(number);
    this.database.update(number, { reviewers: unique([...pullRequest.reviewers, ...reviewers]) });
  }

  async addReviewComment(number: number, comment: ReviewCommentInput): Promise<ReviewComment> {
    await this.require(number);
    return this.database.addReviewComment(number, this.author, comment);
  }

  async listReviewComments(number: number): Promise<ReviewComment[]> {
    await this.require(number);
    return this.database.listReviewComments(number);
  }

  async setCheckStatus(number: number, status: CheckStatusInput): Promise<CheckStatus> {
    const pullRequest = await this.require(number);
    return this.database.setCheckStatus(number, status, pullRequest.headSha);
  }

  async listCheckStatuses(number: number): Promise<CheckStatus[]> {
    await this.require(number);
    return this.database.listCheckStatuses(number);
  }

  async close(): Promise<void> {
    this.database.close();
  }
}
