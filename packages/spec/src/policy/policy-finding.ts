import { z } from 'zod';

/** What kind of problem a finding reports. `review` findings come from the static or model reviewers. */
export const findingTypeSchema = z.enum(['secret', 'pii', 'licence', 'review']);
export type FindingType = z.infer<typeof findingTypeSchema>;

/** How bad a finding is, from `info` (worth knowing) to `critical` (never ship). */
export const findingSeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type FindingSeverity = z.infer<typeof findingSeveritySchema>;

/** Where the scanned text came from. */
export const scanSourceSchema = z.enum(['diff', 'file', 'commit-message', 'pr-body', 'prompt']);
export type ScanSource = z.infer<typeof scanSourceSchema>;

/**
 * One problem found by a scanner or reviewer, version 1. Safe to print, journal and post: it never carries the
 * matched secret or personal datum itself, only `redacted` (a fingerprint such as `ghp_…sha256:1a2b3c4d5e6f`).
 */
export const policyFindingSchema = z.strictObject({
  /** Version of this contract. */
  specificationVersion: z.literal('v1'),
  /** Stable identity of this finding (rule + path + fingerprint), used by allowlists and to de-duplicate comments. */
  id: z.string().min(1),
  /** What kind of problem this is. */
  type: findingTypeSchema,
  /** The rule that fired, e.g. `secret.github-token`, `licence.incompatible`, `review.eval`. */
  ruleId: z.string().min(1),
  /** How bad it is. */
  severity: findingSeveritySchema,
  /** Repository-relative path of the file, or a pseudo-path such as `<commit-message>` or `<pr-body>`. */
  path: z.string(),
  /** 1-based line in the new version of the file, when the finding has one. */
  line: z.number().int().positive().optional(),
  /** 1-based column, when known. */
  column: z.number().int().positive().optional(),
  /** Where the text came from. */
  source: scanSourceSchema,
  /** Why this is a problem, in one sentence; never contains the matched value. */
  message: z.string().min(1),
  /** How to fix it (or how to allowlist it, when it is a false positive). */
  fix: z.string().min(1),
  /** Redacted fingerprint of the matched value (first 4 characters + sha256 prefix); absent for licence and review findings. */
  redacted: z.string().optional(),
  /** Who produced the finding, e.g. `secretlint`, `entropy`, `pii`, `licence`, `static-reviewer`, `model-reviewer`. */
  scanner: z.string().min(1),
  /** Documentation link for the rule, when there is one. */
  docsUrl: z.string().optional(),
});
export type PolicyFinding = z.infer<typeof policyFindingSchema>;
