import type { CheckStatus, Forge, PolicyFinding } from '@orchestrator/spec';
import { toReviewComments } from './review-comments.ts';

/** Name of the check the review gate sets; make it a required status check so failing reviews block merging. */
export const reviewCheckName = 'orchestrator/review';

/** What `publishReview` did. */
export interface PublishReviewResult {
  /** Comments posted now. */
  posted: number;
  /** Comments skipped because an earlier attempt already posted them. */
  alreadyPosted: number;
  /** The check status set on the pull request. */
  check: CheckStatus;
}

const keyMarker = (key: string) => `<!-- orchestrator-review:${key} -->`;

/**
 * Posts review findings as review comments on a pull request (local forge or GitHub) and sets the required
 * `orchestrator/review` check: `failure` when any finding is at or above `failAt` (default `high`), else `success`.
 * Idempotent: each comment carries a marker with its key, and comments already on the PR are not posted again.
 */
export async function publishReview(
  forge: Pick<Forge, 'addReviewComment' | 'listReviewComments' | 'setCheckStatus'>,
  number: number,
  findings: readonly PolicyFinding[],
  options: { failAt?: 'medium' | 'high' | 'critical'; runKey?: string } = {},
): Promise<PublishReviewResult> {
  const existing = new Set((await forge.listReviewComments(number)).map((comment) => comment.body));
  const existingText = [...existing].join('\n');
  let posted = 0;
  let alreadyPosted = 0;
  const drafts = toReviewComments(findings, options.runKey ?? '');
  const failAt = options.failAt ?? 'high';
  const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
  const failing = drafts.filter((draft) => rank[draft.severity] >= rank[failAt]);
  for (const draft of drafts) {
    const marker = keyMarker(draft.idempotencyKey);
    if (existingText.includes(marker)) {
      alreadyPosted += 1;
      continue;
    }
    await forge.addReviewComment(number, {
      body: `${draft.body}\n\n${marker}`,
      path: draft.path,
      line: draft.line,
      verdict: rank[draft.severity] >= rank[failAt] ? 'request-changes' : 'comment',
    });
    posted += 1;
  }
  const check = await forge.setCheckStatus(number, {
    name: reviewCheckName,
    state: failing.length > 0 ? 'failure' : 'success',
    description:
      failing.length > 0
        ? `${failing.length} review finding(s) at ${failAt} or above: ${[...new Set(failing.map((draft) => draft.ruleId))].join(', ')}`.slice(
            0,
            140,
          )
        : `no review finding at ${failAt} or above`,
    required: true,
  });
  return { posted, alreadyPosted, check };
}
