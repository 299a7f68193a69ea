import type { PolicyFinding, ReviewCommentDraft } from '@orchestrator/spec';

const badge = { info: 'ℹ️', low: '🔹', medium: '⚠️', high: '🛑', critical: '🛑' } as const;

/**
 * Turns review findings into review comments for the forge (one per finding with a line). Built from redacted
 * findings only, so no secret can reach the PR. The idempotency key lets a re-run skip comments already posted.
 */
export function toReviewComments(findings: readonly PolicyFinding[], runKey = ''): ReviewCommentDraft[] {
  const comments: ReviewCommentDraft[] = [];
  for (const finding of findings) {
    if (finding.line === undefined) continue;
    comments.push({
      path: finding.path,
      line: finding.line,
      body: [
        `${badge[finding.severity]} **${finding.ruleId}** (${finding.severity}, ${finding.scanner})`,
        '',
        finding.message,
        '',
        `**Fix:** ${finding.fix}`,
        ...(finding.redacted === undefined ? [] : ['', `Value fingerprint: \`${finding.redacted}\``]),
      ].join('\n'),
      severity: finding.severity,
      ruleId: finding.ruleId,
      reviewer: finding.scanner,
      idempotencyKey: `${runKey}${runKey === '' ? '' : ':'}${finding.id}`,
    });
  }
  return comments;
}
