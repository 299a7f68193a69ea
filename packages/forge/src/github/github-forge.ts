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
import { UserError } from '@orchestrator/spec';
import { pullRequestNotFound } from '../forge-errors.ts';
import { runGit, workingCopyLocation } from '../git-command.ts';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './github-client.ts';
import { gitHubRequestFailed, requestStatus } from './github-errors.ts';
import { stateToVerdict, toPullRequest, verdictToEvent } from './github-pull-request.ts';

export interface GitHubForgeOptions extends GitHubClientOptions {
  /** `owner/name`. */
  repository: string;
  /** Where `git push` goes; defaults to `https://github.com/<owner>/<name>.git` (or the server of `baseUrl`). */
  gitUrl?: string;
}

function defaultGitUrl(baseUrl: string | undefined, repository: string): string {
  const api = new URL(baseUrl ?? 'https://api.github.com');
  const host = api.hostname === 'api.github.com' ? 'github.com' : api.host;
  return `${api.protocol}//${host}/${repository}.git`;
}

/** The GitHub forge on Octokit: pushes with git, opens each pull request exactly once (found by head branch first). */
export class GitHubForge implements Forge {
  readonly specificationVersion = 'v1' as const;
  readonly kind = 'github';
  readonly repository: string;
  readonly client: GitHubClient;
  private readonly owner: string;
  private readonly name: string;
  private readonly gitUrl: string;
  private readonly token: string;

  constructor(options: GitHubForgeOptions) {
    const [owner, name, ...rest] = options.repository.split('/');
    if (owner === undefined || name === undefined || owner === '' || name === '' || rest.length > 0) {
      throw new UserError({
        code: 'forge-github-repository-invalid',
        message: `The GitHub repository must be owner/name, got ${JSON.stringify(options.repository)}.`,
        hint: 'Set GITHUB_REPOSITORY or forge.repository, e.g. octo-org/app.',
      });
    }
    this.owner = owner;
    this.name = name;
    this.repository = options.repository;
    this.token = options.token;
    this.gitUrl = options.gitUrl ?? defaultGitUrl(options.baseUrl, options.repository);
    this.client = createGitHubClient(options);
  }

  private async call<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw gitHubRequestFailed(error, action, this.repository);
    }
  }

  private get repo() {
    return { owner: this.owner, repo: this.name };
  }

  /** The commit a branch points to on GitHub, or undefined. */
  async branchSha(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.client.request('GET /repos/{owner}/{repo}/git/ref/{+ref}', {
        ...this.repo,
        ref: `heads/${branch}`,
      });
      return (data as { object: { sha: string } }).object.sha;
    } catch (error) {
      if (requestStatus(error) === 404) return undefined;
      throw gitHubRequestFailed(error, `read branch ${branch}`, this.repository);
    }
  }

  /** Creates `branch` at a commit GitHub already has (`POST /git/refs`). */
  async createBranchRef(branch: string, sha: string): Promise<void> {
    await this.call(`create branch ${branch}`, () =>
      this.client.git.createRef({ ...this.repo, ref: `refs/heads/${branch}`, sha }),
    );
  }

  /**
   * Moves `branch` to `sha` (`PATCH /git/refs/heads/…`); without `force`, only fast-forwards. Refs are expanded with
   * `{+ref}` so their slashes stay literal, as GitHub's recorded exchanges have them (Octokit would send `%2F`).
   */
  async updateBranchRef(branch: string, sha: string, force = false): Promise<void> {
    await this.call(`update branch ${branch}`, () =>
      this.client.request('PATCH /repos/{owner}/{repo}/git/refs/{+ref}', {
        ...this.repo,
        ref: `heads/${branch}`,
        sha,
        ...(force ? { force } : {}),
      }),
    );
  }

  /** Deletes `branch` (e.g. after a merge). */
  async deleteBranchRef(branch: string): Promise<void> {
    await this.call(`delete branch ${branch}`, () =>
      this.client.request('DELETE /repos/{owner}/{repo}/git/refs/{+ref}', { ...this.repo, ref: `heads/${branch}` }),
    );
  }

  /** Points `branch` at a commit GitHub already has: creates the ref, or moves it when it exists (idempotent). */
  async setBranchRef(branch: string, sha: string, force = false): Promise<void> {
    const current = await this.branchSha(branch);
    if (current === sha) return;
    if (current === undefined) await this.createBranchRef(branch, sha);
    else await this.updateBranchRef(branch, sha, force);
  }

  async pushBranch(options: { workingCopy: string; branch: string; force?: boolean }): Promise<PushResult> {
    const local = (await runGit(['rev-parse', 'HEAD'], workingCopyLocation(options.workingCopy))).stdout.trim();
    const remote = await this.branchSha(options.branch);
    if (remote === local) return { branch: options.branch, sha: local, updated: false };
    // The token travels in an environment-provided header, never on the command line or in the remote URL.
    const credentials = /^https?:/.test(this.gitUrl)
      ? {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'http.extraHeader',
          GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}`,
        }
      : undefined;
    await runGit(
      [
        'push',
        '--quiet',
        ...(options.force === true ? ['--force'] : []),
        this.gitUrl,
        `HEAD:refs/heads/${options.branch}`,
      ],
      {
        ...workingCopyLocation(options.workingCopy),
        protocols: ['file', 'http', 'https'],
        ...(credentials === undefined ? {} : { env: credentials }),
      },
    );
    return { branch: options.branch, sha: local, updated: true };
  }

  async findOpenPullRequest(head: string): Promise<PullRequest | undefined> {
    const { data } = await this.call(`find the pull request of ${head}`, () =>
      this.client.pulls.list({ ...this.repo, head: `${this.owner}:${head}`, state: 'open', per_page: 10 }),
    );
    const match = data.find((pull) => pull.head.ref === head);
    return match === undefined ? undefined : toPullRequest(match);
  }

  async openPullRequest(input: OpenPullRequestInput): Promise<OpenPullRequestResult> {
    let created = false;
    let pullRequest = await this.findOpenPullRequest(input.head);
    if (pullRequest === undefined) {
      try {
        const { data } = await this.client.pulls.create({
          ...this.repo,
          title: input.title,
          body: input.body,
          base: input.base,
          head: input.head,
          ...(input.draft === undefined ? {} : { draft: input.draft }),
        });
        pullRequest = toPullRequest(data);
        created = true;
      } catch (error) {
        // Another attempt created it between our lookup and our create: reuse that one.
        if (requestStatus(error) !== 422) throw gitHubRequestFailed(error, 'open a pull request', this.repository);
        pullRequest = await this.findOpenPullRequest(input.head);
        if (pullRequest === undefined) throw gitHubRequestFailed(error, 'open a pull request', this.repository);
      }
    }
    const { number, labels, reviewers } = pullRequest;
    const missingLabels = (input.labels ?? []).filter((label) => !labels.includes(label));
    if (missingLabels.length > 0) await this.addLabels(number, missingLabels);
    const missingReviewers = (input.reviewers ?? []).filter((login) => !reviewers.includes(login));
    if (missingReviewers.length > 0) await this.requestReviewers(number, missingReviewers);
    if (missingLabels.length > 0 || missingReviewers.length > 0) pullRequest = await this.require(number);
    return { pullRequest, created };
  }

  private async require(number: number): Promise<PullRequest> {
    const pullRequest = await this.getPullRequest(number);
    if (pullRequest === undefined) throw pullRequestNotFound(this.repository, number);
    return pullRequest;
  }

  async getPullRequest(number: number): Promise<PullRequest | undefined> {
    try {
      const { data } = await this.client.pulls.get({ ...this.repo, pull_number: number });
      return toPullRequest(data);
    } catch (error) {
      if (requestStatus(error) === 404) return undefined;
      throw gitHubRequestFailed(error, `read pull request #${number}`, this.repository);
    }
  }

  async listPullRequests(options: ListPullRequestsOptions = {}): Promise<PullRequest[]> {
    const wanted = options.state ?? 'open';
    const state = wanted === 'merged' ? 'closed' : wanted;
    const pulls = await this.call('list pull requests', () =>
      this.client.paginate(this.client.pulls.list, {
        ...this.repo,
        state,
        per_page: 100,
        ...(options.head === undefined ? {} : { head: `${this.owner}:${options.head}` }),
      }),
    );
    return pulls.map(toPullRequest).filter((pull) => wanted === 'all' || pull.state === wanted);
  }

  async getDiff(number: number): Promise<string> {
    const response = await this.call(`read the diff of #${number}`, () =>
      this.client.pulls.get({ ...this.repo, pull_number: number, mediaType: { format: 'diff' } }),
    );
    return String(response.data as unknown);
  }

  async updatePullRequest(number: number, changes: { title?: string; body?: string }): Promise<PullRequest> {
    const { data } = await this.call(`update pull request #${number}`, () =>
      this.client.pulls.update({ ...this.repo, pull_number: number, ...changes }),
    );
    return toPullRequest(data);
  }

  async mergePullRequest(number: number, options: MergeOptions = {}): Promise<MergeResult> {
    const pullRequest = await this.require(number);
    if (pullRequest.state !== 'open') {
      return { merged: false, reason: 'not-open', message: `Pull request #${number} is ${pullRequest.state}.` };
    }
    const blocking = (await this.listCheckStatuses(number)).filter(
      (check) => check.required && check.state !== 'success',
    );
    if (blocking.length > 0) {
      return {
        merged: false,
        reason: 'checks-failing',
        message: `Required checks are not green: ${blocking.map((check) => `${check.name} (${check.state})`).join(', ')}.`,
      };
    }
    try {
      const { data } = await this.client.pulls.merge({
        ...this.repo,
        pull_number: number,
        merge_method: options.method ?? 'merge',
        ...(options.message === undefined ? {} : { commit_title: options.message }),
      });
      return { merged: true, sha: data.sha };
    } catch (error) {
      const status = requestStatus(error);
      if (status === 405) {
        const message = error instanceof Error ? error.message : String(error);
        return { merged: false, reason: /status check/i.test(message) ? 'checks-failing' : 'conflict', message };
      }
      if (status === 409)
        return { merged: false, reason: 'conflict', message: 'The head branch changed or conflicts.' };
      throw gitHubRequestFailed(error, `merge pull request #${number}`, this.repository);
    }
  }

  async closePullRequest(number: number): Promise<PullRequest> {
    const { data } = await this.call(`close pull request #${number}`, () =>
      this.client.pulls.update({ ...this.repo, pull_number: number, state: 'closed' }),
    );
    return toPullRequest(data);
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    await this.call(`label pull request #${number}`, () =>
      this.client.issues.addLabels({ ...this.repo, issue_number: number, labels: [...labels] }),
    );
  }

  async requestReviewers(number: number, reviewers: readonly string[]): Promise<void> {
    await this.call(`request reviewers on #${number}`, () =>
      this.client.pulls.requestReviewers({ ...this.repo, pull_number: number, reviewers: [...reviewers] }),
    );
  }

  async addReviewComment(number: number, comment: ReviewCommentInput): Promise<ReviewComment> {
    const verdict = comment.verdict ?? 'comment';
    const inline = comment.path !== undefined && comment.line !== undefined;
    const { data } = await this.call(`review pull request #${number}`, () =>
      this.client.pulls.createReview({
        ...this.repo,
        pull_number: number,
        body: comment.body,
        event: verdictToEvent[verdict],
        ...(inline ? { comments: [{ path: comment.path ?? '', line: comment.line ?? 1, body: comment.body }] } : {}),
      }),
    );
    return {
      id: data.id,
      author: data.user?.login ?? 'unknown',
      body: data.body,
      verdict,
      ...(comment.path === undefined ? {} : { path: comment.path }),
      ...(comment.line === undefined ? {} : { line: comment.line }),
      createdAt: data.submitted_at ?? new Date().toISOString(),
    };
  }

  async listReviewComments(number: number): Promise<ReviewComment[]> {
    const reviews = await this.call(`list reviews of #${number}`, () =>
      this.client.paginate(this.client.pulls.listReviews, { ...this.repo, pull_number: number, per_page: 100 }),
    );
    return reviews.map((review) => ({
      id: review.id,
      author: review.user?.login ?? 'unknown',
      body: review.body,
      verdict: stateToVerdict[review.state] ?? 'comment',
      createdAt: review.submitted_at ?? '',
    }));
  }

  async setCheckStatus(number: number, status: CheckStatusInput): Promise<CheckStatus> {
    const pullRequest = await this.require(number);
    const sha = pullRequest.headSha ?? '';
    const { data } = await this.call(`set check ${status.name} on #${number}`, () =>
      this.client.repos.createCommitStatus({
        ...this.repo,
        sha,
        state: status.state,
        context: status.name,
        ...(status.description === undefined ? {} : { description: status.description }),
      }),
    );
    return {
      name: status.name,
      state: status.state,
      ...(status.description === undefined ? {} : { description: status.description }),
      required: status.required ?? true,
      sha,
      updatedAt: data.updated_at,
    };
  }

  /** GitHub statuses carry no "required" flag; every status is treated as required (branch protection decides too). */
  async listCheckStatuses(number: number): Promise<CheckStatus[]> {
    const pullRequest = await this.require(number);
    const { data } = await this.call(`read checks of #${number}`, () =>
      this.client.repos.getCombinedStatusForRef({ ...this.repo, ref: pullRequest.headSha ?? pullRequest.head }),
    );
    return data.statuses.map((status) => ({
      name: status.context,
      state: status.state as CheckStatus['state'],
      ...(status.description === null ? {} : { description: status.description }),
      required: true,
      sha: data.sha,
      updatedAt: status.updated_at,
    }));
  }

  async close(): Promise<void> {}
}
