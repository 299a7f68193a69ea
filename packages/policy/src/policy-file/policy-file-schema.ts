import { policyActionSchema } from '@orchestrator/spec';
import { z } from 'zod';

/** One rule: a CEL expression over `finding`, `role` and `gate`, and the action when it is true. First match wins. */
export const policyRuleSchema = z.strictObject({
  /** Name of the rule, shown in verdicts. */
  id: z.string().min(1),
  /** CEL expression, e.g. `finding.type == "pii" && glob(finding.path, "docs/**")`. */
  when: z.string().min(1),
  /** What to do when it matches. */
  action: policyActionSchema,
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** A dated exception: a finding (by id) or every finding a CEL expression matches is allowed until `expires`. */
export const allowlistEntrySchema = z
  .strictObject({
    /** A finding id as printed by `orchestrator policy check`. */
    id: z.string().min(1).optional(),
    /** Or a CEL expression over `finding`, `role`, `gate`. */
    when: z.string().min(1).optional(),
    /** Why this is acceptable; required, shown in verdicts. */
    reason: z.string().min(3),
    /** Last day the entry applies (YYYY-MM-DD, inclusive); after it the entry stops applying and the verdict says so. */
    expires: z.iso.date(),
  })
  .refine((entry) => entry.id !== undefined || entry.when !== undefined, {
    message: 'an allowlist entry needs `id` or `when`',
  });
export type AllowlistEntry = z.infer<typeof allowlistEntrySchema>;

/** The `orchestrator.policy.yaml` file, version 1. */
export const policyFileSchema = z.strictObject({
  /** Version of the file format. */
  version: z.literal(1).default(1),
  /** The project's licence as an SPDX expression; detected from package.json or LICENSE when omitted. */
  projectLicence: z.string().min(1).optional(),
  /** Licence settings. */
  licences: z
    .strictObject({
      /** SPDX ids accepted regardless of the compatibility table. */
      allow: z.array(z.string().min(1)).default([]),
    })
    .default({ allow: [] }),
  /** Rules, evaluated in order before the built-in defaults; the first that matches decides. */
  rules: z.array(policyRuleSchema).default([]),
  /** Dated exceptions. */
  allowlist: z.array(allowlistEntrySchema).default([]),
  /**
   * Files the model's edits did not touch but that changed in the worktree (a test's output): `drop` (default) puts
   * them back and never commits them; `require-approval` holds them for a human, who may let them into the commit.
   * Either way they are journaled (`test-leftovers`) and every committed file goes through the scanners.
   */
  leftovers: z.enum(['drop', 'require-approval']).default('drop'),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;
