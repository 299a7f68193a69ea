import { z } from 'zod';
import { findingSeveritySchema } from './policy-finding.ts';

/**
 * A review comment produced from a finding, ready for a forge to post on a pull request (the forge adapter maps it to
 * its own comment call). Carries no secret: built from redacted findings only.
 */
export const reviewCommentDraftSchema = z.strictObject({
  /** Repository-relative path the comment is attached to. */
  path: z.string().min(1),
  /** 1-based line in the new version of the file (the right side of the diff). */
  line: z.number().int().positive(),
  /** The comment text (Markdown). */
  body: z.string().min(1),
  /** Severity of the underlying finding, for sorting and for deciding whether the check fails. */
  severity: findingSeveritySchema,
  /** Rule that produced it, e.g. `review.eval`. */
  ruleId: z.string().min(1),
  /** Which reviewer produced it: `static-reviewer` or `model-reviewer`. */
  reviewer: z.string().min(1),
  /** Stable key so re-running a review does not post the same comment twice. */
  idempotencyKey: z.string().min(1),
});
export type ReviewCommentDraft = z.infer<typeof reviewCommentDraftSchema>;
