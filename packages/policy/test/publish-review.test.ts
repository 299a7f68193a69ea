import type { CheckStatus, CheckStatusInput, ReviewComment, ReviewCommentInput } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { publishReview } from '../src/review/publish-review.ts';
import { reviewDiffStatically } from '../src/review/static-reviewer.ts';
import { githubToken, newFileDiff } from './fake-secrets.ts';

/** The three forge calls publishReview uses, kept in memory. */
function memoryForge() {
  const comments: ReviewComment[] = [];
  const checks = new Map<string, CheckStatus>();
  return {
    comments,
    checks,
    async addReviewComment(_number: number, input: ReviewCommentInput): Promise<ReviewComment> {
      const comment = {
        ...input,
        id: comments.length + 1,
        author: 'orchestrator',
        verdict: input.verdict ?? 'comment',
        createdAt: '2026-01-01T00:00:00Z',
      };
      comments.push(comment);
      return comment;
    },
    async listReviewComments(): Promise<ReviewComment[]> {
      return [...comments];
    },
    async setCheckStatus(_number: number, input: CheckStatusInput): Promise<CheckStatus> {
      const status: CheckStatus = {
        name: input.name,
        state: input.state,
        required: input.required ?? true,
        updatedAt: '2026-01-01T00:00:00Z',
        ...(input.description === undefined ? {} : { description: input.description }),
      };
      checks.set(input.name, status);
      return status;
    },
  };
}

describe('publishReview', () => {
  const vulnerable = newFileDiff(
    'src/run.ts',
    `const key = "${githubToken}";\nexport const run = (req) => eval(req.body.code);`,
  );

  it('posts one comment per finding, fails the required check, and never posts twice', async () => {
    const forge = memoryForge();
    const findings = reviewDiffStatically(vulnerable);
    const first = await publishReview(forge, 1, findings);
    expect(first.posted).toBe(findings.length);
    expect(first.check).toMatchObject({ name: 'orchestrator/review', state: 'failure', required: true });
    expect(
      forge.comments.some(
        (comment) => comment.path === 'src/run.ts' && comment.line === 2 && comment.body.includes('review.eval'),
      ),
    ).toBe(true);
    const again = await publishReview(forge, 1, findings);
    expect(again).toMatchObject({ posted: 0, alreadyPosted: findings.length });
    expect(forge.comments).toHaveLength(findings.length);
    for (const comment of forge.comments) expect(comment.body).not.toContain(githubToken);
  });

  it('passes the check when the fixed change has no serious finding', async () => {
    const forge = memoryForge();
    const fixed = reviewDiffStatically(
      newFileDiff('src/run.ts', 'export const run = (req) => JSON.parse(req.body.code);'),
    );
    const result = await publishReview(forge, 1, fixed);
    expect(result).toMatchObject({ posted: 0, check: { state: 'success' } });
  });
});
