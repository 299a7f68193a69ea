/** Lifecycle of a pull request. `merged` and `closed` are final. */
export type PullRequestState = 'open' | 'merged' | 'closed';

/** A pull request as a forge reports it. */
export interface PullRequest {
  /** Forge-assigned number, unique per repository (1, 2, 3…). */
  number: number;
  /** Where a person can see it: an https URL on GitHub, a `local-forge:` URL for the local forge. */
  url: string;
  /** One-line title. */
  title: string;
  /** Markdown body; carries the `orchestrator-provenance` block. */
  body: string;
  /** Branch the change is proposed into, e.g. `main`. */
  base: string;
  /** Branch holding the change, e.g. `orchestrator/r-abc123-add-license`. */
  head: string;
  /** Commit the head branch pointed to when last seen, when known. */
  headSha?: string;
  /** Current state. */
  state: PullRequestState;
  /** Labels attached. */
  labels: string[];
  /** Users whose review was requested. */
  reviewers: string[];
  /** Merge commit, once merged. */
  mergeCommitSha?: string;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 time of the latest change. */
  updatedAt: string;
}

/** What a caller asks for when opening a pull request. */
export interface OpenPullRequestInput {
  /** One-line title. */
  title: string;
  /** Markdown body. */
  body: string;
  /** Base branch. */
  base: string;
  /** Head branch (already pushed). */
  head: string;
  /** Labels to add (idempotent). */
  labels?: readonly string[];
  /** Reviewers to request (idempotent). */
  reviewers?: readonly string[];
  /** Open as a draft where the forge supports it. */
  draft?: boolean;
}

/** Result of find-or-create: `created` is false when an open pull request for the same head was reused. */
export interface OpenPullRequestResult {
  /** The pull request, new or reused. */
  pullRequest: PullRequest;
  /** True only when this call created it. */
  created: boolean;
}

/** Filter for listing pull requests. */
export interface ListPullRequestsOptions {
  /** Which states to include; defaults to `open`. */
  state?: PullRequestState | 'all';
  /** Only pull requests whose head branch is this. */
  head?: string;
}
