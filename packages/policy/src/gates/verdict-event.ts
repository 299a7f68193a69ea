import type { PolicyVerdict } from '@orchestrator/spec';

/**
 * The `data` of a `policy-verdict` journal event for a verdict. The event schema knows `pass | warn | block`:
 * `require-approval` is journaled as `block` (the run stops until someone approves) with `requiresApproval: true`
 * on each finding that needs it. Findings are already redacted.
 */
export function toPolicyVerdictEventData(verdict: PolicyVerdict): {
  gate: string;
  verdict: 'pass' | 'warn' | 'block';
  findings: Array<Record<string, unknown>>;
} {
  return {
    gate: verdict.gate,
    verdict: verdict.verdict === 'require-approval' ? 'block' : verdict.verdict,
    findings: verdict.findings.map((entry) => ({
      ...entry.finding,
      action: entry.action,
      policyRuleId: entry.policyRuleId,
      ...(entry.action === 'require-approval' ? { requiresApproval: true } : {}),
      ...(entry.allowlistedBecause === undefined ? {} : { allowlistedBecause: entry.allowlistedBecause }),
    })),
  };
}
