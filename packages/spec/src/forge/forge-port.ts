import type {
  ListPullRequestsOptions,
  OpenPullRequestInput,
  OpenPullRequestResult,
  PullRequest,
} from './pull-request.ts';
import type { CheckStatus, CheckStatusInput, ReviewComment, ReviewCommentInput } from './review.ts';

/** Result of pushing a branch to the forge's remote. */
export interface PushResult {
  /** Branch name on the remote. */
  branch: string;
  /** Commit the remote branch now points to. */
  sha: string;
  /** False when the remote already had exactly this commit (a retried push). */
  updated: boolean;
}

/** How to merge. */
export interface MergeOptions {
  /** `merge` (a merge commit, the default) or `squash`. */
  method?: 'merge' | 'squash';
  /** Commit message; defaults to the pull request title. */
  message?: string;
}

/** Outcome of a merge request: refusals are results, not exceptions. */
export type MergeResult =
  | {
      merged: true;
      sha: string;
      /**
       * The local forge only: what became of the base branch in the user's own repository (fast-forwarded to the merge,
       * or left alone with the command that brings the merge in).
       */
      userBranch?: { branch: string; status: 'updated' | 'up-to-date' | 'not-updated'; detail?: string };
    }
  | {
      merged: false;
      /** Stable reason: a required check is not green, the branches conflict, or the PR is not open. */
      reason: 'checks-failing' | 'conflict' | 'not-open';
      /** Human explanation. */
      message: string;
    };

/**
 * The forge port, version 1: where branches are pushed and pull requests live. One instance is bound to one
 * repository. Implemented by the local forge (a bare repository plus PR records in SQLite, the embedded default)
 * and GitHub (Octokit). Every write is idempotent: retrying any call after a crash never duplicates an effect.
 */
export interface Forge {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** Adapter name, e.g. `local` or `github`. */
  readonly kind: string;
  /** Human name of the repository on the forge, e.g. `octo/app` or the local bare repository's name. */
  readonly repository: string;
  /** Pushes `HEAD` of the git working copy at `workingCopy` to `branch` on the forge. Re-pushing the same commit is a no-op. */
  pushBranch(options: { workingCopy: string; branch: string; force?: boolean }): Promise<PushResult>;
  /** The open pull request whose head is `head`, if any. */
  findOpenPullRequest(head: string): Promise<PullRequest | undefined>;
  /** Find-or-create: reuses the open pull request with the same head, else creates one; then adds labels and reviewers. */
  openPullRequest(input: OpenPullRequestInput): Promise<OpenPullRequestResult>;
  /** One pull request, or undefined. */
  getPullRequest(number: number): Promise<PullRequest | undefined>;
  /** Pull requests, newest first. */
  listPullRequests(options?: ListPullRequestsOptions): Promise<PullRequest[]>;
  /** Unified diff of the pull request (head against its merge base with base). */
  getDiff(number: number): Promise<string>;
  /** Changes title or body. */
  updatePullRequest(number: number, changes: { title?: string; body?: string }): Promise<PullRequest>;
  /** Merges into base; refuses when a required check is not green or the branches conflict. */
  mergePullRequest(number: number, options?: MergeOptions): Promise<MergeResult>;
  /** Closes without merging (idempotent). */
  closePullRequest(number: number): Promise<PullRequest>;
  /** Adds labels (idempotent). */
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  /** Requests reviews (idempotent). */
  requestReviewers(number: number, reviewers: readonly string[]): Promise<void>;
  /** Posts a review comment. */
  addReviewComment(number: number, comment: ReviewCommentInput): Promise<ReviewComment>;
  /** Review comments, oldest first. */
  listReviewComments(number: number): Promise<ReviewComment[]>;
  /** Sets (or replaces) a check status on the pull request's head commit. */
  setCheckStatus(number: number, status: CheckStatusInput): Promise<CheckStatus>;
  /** Check statuses of the pull request's head commit. */
  listCheckStatuses(number: number): Promise<CheckStatus[]>;
  /** Releases handles (database, HTTP agents). */
  close(): Promise<void>;
}
