import type { JudgedFinding, PolicyVerdict } from '@orchestrator/spec';
import { PolicyBlockedError } from '@orchestrator/spec';

function location(entry: JudgedFinding): string {
  const { path, line } = entry.finding;
  return line === undefined ? path : `${path}:${line}`;
}

/** A YAML allowlist entry the user can paste into orchestrator.policy.yaml (expiring in 30 days). */
export function allowlistSnippet(entry: JudgedFinding, now = new Date()): string {
  const expires = new Date(now.getTime() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return `allowlist: [{ id: "${entry.finding.id}", reason: "<why this is acceptable>", expires: "${expires}" }]`;
}

/** One finding as actionable text: where, which rule, why, how to fix, how to allowlist. */
export function formatFinding(entry: JudgedFinding, now = new Date()): string {
  const { finding } = entry;
  const lines = [
    `${location(entry)}  [${finding.ruleId}] ${entry.action} (${finding.severity}) — ${finding.message}`,
    ...(finding.redacted === undefined ? [] : [`    value: ${finding.redacted}`]),
    `    fix: ${finding.fix}`,
  ];
  if (entry.action === 'allow') lines.push(`    allowlisted: ${entry.allowlistedBecause ?? entry.policyRuleId}`);
  else lines.push(`    or allowlist it: ${allowlistSnippet(entry, now)}`);
  return lines.join('\n');
}

/** The whole verdict as text for a terminal or a hook. */
export function formatVerdict(verdict: PolicyVerdict, now = new Date()): string {
  const active = verdict.findings.filter((entry) => entry.action !== 'allow');
  const header =
    verdict.verdict === 'pass'
      ? `${verdict.gate} gate: pass (${verdict.findings.length === 0 ? 'no findings' : `${verdict.findings.length} allowlisted`})`
      : `${verdict.gate} gate: ${verdict.verdict.toUpperCase()} — ${active.length} finding(s)`;
  return [
    header,
    ...verdict.findings.map((entry) => formatFinding(entry, now)),
    ...verdict.notes.map((note) => `note: ${note}`),
  ].join('\n');
}

/**
 * Throws an actionable `PolicyBlockedError` when the verdict blocks, or requires an approval that was not given.
 * The message lists each blocking finding (file:line, rule, why); the hint says how to fix or allowlist the first.
 */
export function enforceVerdict(verdict: PolicyVerdict, options: { approved?: boolean } = {}): void {
  const stops = verdict.verdict === 'block' || (verdict.verdict === 'require-approval' && options.approved !== true);
  if (!stops) return;
  const blocking = verdict.findings.filter(
    (entry) => entry.action === 'block' || (entry.action === 'require-approval' && options.approved !== true),
  );
  const list = blocking
    .map((entry) => `  ${location(entry)} [${entry.finding.ruleId}] ${entry.finding.message}`)
    .join('\n');
  const first = blocking[0];
  const what = verdict.verdict === 'block' ? 'blocked the change' : 'needs a human approval for the change';
  throw new PolicyBlockedError(
    verdict,
    `The ${verdict.gate} policy gate ${what} (${blocking.length} finding(s)):\n${list}`,
    first === undefined
      ? 'Fix the findings above and try again.'
      : `${first.finding.fix} To accept it instead, add to orchestrator.policy.yaml: ${allowlistSnippet(first)}`,
  );
}
