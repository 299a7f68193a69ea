/** The verdict a review carries. `comment` is neutral. */
export type ReviewVerdict = 'comment' | 'approve' | 'request-changes';

/** A review comment to post on a pull request. */
export interface ReviewCommentInput {
  /** Markdown text. */
  body: string;
  /** Verdict; defaults to `comment`. */
  verdict?: ReviewVerdict;
  /** File the comment is about, relative to the repository root, when it is about a line. */
  path?: string;
  /** 1-based line in the head version of `path`. */
  line?: number;
}

/** A review comment as stored by the forge. */
export interface ReviewComment extends ReviewCommentInput {
  /** Forge-assigned id. */
  id: number;
  /** Who posted it (a login, or `orchestrator`). */
  author: string;
  /** Verdict (always set when read back). */
  verdict: ReviewVerdict;
  /** ISO-8601 time it was posted. */
  createdAt: string;
}

/** State of one check on a pull request's head commit. */
export type CheckState = 'pending' | 'success' | 'failure' | 'error';

/** A check status to set (e.g. `orchestrator/tests`, `orchestrator/policy`). Setting the same name again replaces it. */
export interface CheckStatusInput {
  /** Check name, unique per pull request. */
  name: string;
  /** Current state. */
  state: CheckState;
  /** Short explanation shown next to the state. */
  description?: string;
  /** A failing or pending required check blocks a merge. Defaults to true. */
  required?: boolean;
}

/** A check status as stored by the forge. */
export interface CheckStatus {
  /** Check name. */
  name: string;
  /** Current state. */
  state: CheckState;
  /** Short explanation. */
  description?: string;
  /** Whether it blocks a merge unless `success`. */
  required: boolean;
  /** Head commit the status was set on, when known. */
  sha?: string;
  /** ISO-8601 time of the latest update. */
  updatedAt: string;
}
