import type { PullRequest, ReviewVerdict } from '@orchestrator/spec';

/** The fields of GitHub's `pull-request` / `pull-request-simple` payloads the forge reads. */
export interface GitHubPull {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  state: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  created_at: string;
  updated_at: string;
  base: { ref: string };
  head: { ref: string; sha: string };
  labels: ReadonlyArray<{ name?: string }>;
  requested_reviewers?: ReadonlyArray<{ login: string }> | null;
}

export const verdictToEvent = { comment: 'COMMENT', approve: 'APPROVE', 'request-changes': 'REQUEST_CHANGES' } as const;
export const stateToVerdict: Record<string, ReviewVerdict> = {
  APPROVED: 'approve',
  CHANGES_REQUESTED: 'request-changes',
};

/** Maps a GitHub payload to the port's `PullRequest` (`merged` when `merged_at` is set). */
export function toPullRequest(pull: GitHubPull): PullRequest {
  const merged = pull.merged_at !== null;
  return {
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    body: pull.body ?? '',
    base: pull.base.ref,
    head: pull.head.ref,
    headSha: pull.head.sha,
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    labels: pull.labels.flatMap((label) => (label.name === undefined ? [] : [label.name])),
    reviewers: (pull.requested_reviewers ?? []).map((user) => user.login),
    ...(merged && pull.merge_commit_sha !== null ? { mergeCommitSha: pull.merge_commit_sha } : {}),
    createdAt: pull.created_at,
    updatedAt: pull.updated_at,
  };
}
