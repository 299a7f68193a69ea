import { z } from 'zod';
import { policyFindingSchema } from './policy-finding.ts';

/** The points where the policy is enforced: before a commit, before a push, before a pull request, and at review. */
export const gateNameSchema = z.enum(['pre-commit', 'pre-push', 'pre-pr', 'review']);
export type GateName = z.infer<typeof gateNameSchema>;

/** What a matched policy rule asks for. `allow` drops the finding; the others rank warn < require-approval < block. */
export const policyActionSchema = z.enum(['allow', 'warn', 'require-approval', 'block']);
export type PolicyAction = z.infer<typeof policyActionSchema>;

/** Outcome of a gate: `pass` (nothing to report), `warn`, `require-approval` (a human must approve) or `block`. */
export const gateOutcomeSchema = z.enum(['pass', 'warn', 'require-approval', 'block']);
export type GateOutcome = z.infer<typeof gateOutcomeSchema>;

/** A finding with the action the policy decided for it. */
export const judgedFindingSchema = z.strictObject({
  /** The finding (already redacted). */
  finding: policyFindingSchema,
  /** The action decided for it. */
  action: policyActionSchema,
  /** Id of the policy rule that decided, or `default` when no rule matched and the severity default applied. */
  policyRuleId: z.string(),
  /** When an allowlist entry suppressed the finding: that entry's reason. The action is then `allow`. */
  allowlistedBecause: z.string().optional(),
});
export type JudgedFinding = z.infer<typeof judgedFindingSchema>;

/** The verdict of one gate, version 1: the `data` of the `policy-verdict` journal event. */
export const policyVerdictSchema = z.strictObject({
  /** Version of this contract. */
  specificationVersion: z.literal('v1'),
  /** Which gate ran. */
  gate: gateNameSchema,
  /** The overall outcome: the strongest action among the findings (`pass` when none). */
  verdict: gateOutcomeSchema,
  /** Every finding with its action, including allowlisted ones (action `allow`). */
  findings: z.array(judgedFindingSchema),
  /** Things the user should know about the policy itself, e.g. an allowlist entry that expired and no longer applies. */
  notes: z.array(z.string()),
});
export type PolicyVerdict = z.infer<typeof policyVerdictSchema>;
