import { z } from 'zod';

/** How bad a risk is. `high` and `critical` block convergence until a later message resolves them. */
export const riskSeverities = ['low', 'medium', 'high', 'critical'] as const;
export const riskSeveritySchema = z.enum(riskSeverities);
export type RiskSeverity = z.infer<typeof riskSeveritySchema>;

/** A risk a message raises, with the concrete fix that would remove it. */
export const riskSchema = z.strictObject({
  /** Stable id chosen by the author, unique within the run, e.g. `R1` or `clamp-upper-bound`; later messages resolve it by this id. */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an id of letters, digits, dot, dash or underscore'),
  /** Severity. */
  severity: riskSeveritySchema,
  /** What could go wrong, in one or two sentences. */
  description: z.string().min(1),
  /** A concrete fix: what to change where (not "be careful"). */
  fix: z.string().min(1),
});
export type Risk = z.infer<typeof riskSchema>;

/** True for severities that block convergence. */
export function isBlockingSeverity(severity: RiskSeverity): boolean {
  return severity === 'high' || severity === 'critical';
}
