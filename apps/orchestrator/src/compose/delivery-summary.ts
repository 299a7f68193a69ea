import type { JournalEvent, PolicyFinding, PolicyVerdict, RunStartData } from '@orchestrator/spec';
import { prOpenDataSchema, testRunDataSchema } from '@orchestrator/spec';

/** The run's test evidence: the red and green runs journaled, with the sandbox that ran them. */
export function testEvidence(events: readonly JournalEvent[]): Array<{
  phase: string;
  command: string;
  exitCode: number;
  summary: string;
  sandbox: string;
}> {
  const runs = [];
  for (const event of events) {
    if (event.type !== 'test-run') continue;
    const parsed = testRunDataSchema.safeParse(event.data);
    if (!parsed.success) continue;
    const { phase, command, exitCode, summary, sandbox } = parsed.data;
    runs.push({ phase, command, exitCode, summary, sandbox: sandbox ?? 'unknown' });
  }
  return runs;
}

/** The `orchestrator/tests` check: green when the last non-red run passed, red when it failed. */
export function testsCheck(
  start: RunStartData,
  events: readonly JournalEvent[],
): { state: 'success' | 'failure'; description: string } {
  const last = testEvidence(events).findLast((run) => run.phase !== 'red');
  if (last === undefined) {
    return { state: 'success', description: `no tests ran: ${start.tests?.reason ?? 'no test command'}`.slice(0, 140) };
  }
  const where = `in ${last.sandbox === 'none' ? 'no sandbox (--sandbox none)' : last.sandbox}`;
  return last.exitCode === 0
    ? { state: 'success', description: `\`${last.command}\` passed ${where}`.slice(0, 140) }
    : { state: 'failure', description: `\`${last.command}\` exited ${last.exitCode} ${where}`.slice(0, 140) };
}

/** The Markdown above the provenance block: what changed, the test evidence, the gates and the review. */
export function pullRequestSummary(options: {
  start: RunStartData;
  events: readonly JournalEvent[];
  verdicts: readonly PolicyVerdict[];
  reviewFindings: readonly PolicyFinding[];
  reviewers: readonly string[];
}): string {
  const { start, events } = options;
  const tests = testEvidence(events);
  const red = tests.find((run) => run.phase === 'red');
  const green = tests.findLast((run) => run.phase !== 'red');
  const testLines =
    green === undefined
      ? [`- No tests ran: ${start.tests?.reason ?? 'no test command was detected'}.`]
      : [
          ...(red === undefined
            ? []
            : [`- red: \`${red.command}\` exited ${red.exitCode} before the change (${red.summary})`]),
          `- ${green.phase}: \`${green.command}\` exited ${green.exitCode} after the change (${green.summary})`,
          `- sandbox: ${green.sandbox}`,
        ];
  const gateLines = options.verdicts.map(
    (verdict) => `- ${verdict.gate}: ${verdict.verdict} (${verdict.findings.length} finding(s))`,
  );
  const findings = options.reviewFindings;
  const reviewLine =
    findings.length === 0
      ? `No finding from ${options.reviewers.join(' and ')}.`
      : `${findings.length} finding(s) from ${options.reviewers.join(' and ')}, posted as review comments: ${[
          ...new Set(findings.map((finding) => `\`${finding.ruleId}\``)),
        ].join(', ')}.`;
  return [
    `Implements: ${start.task}`,
    '',
    '### Tests',
    ...testLines,
    '',
    '### Policy gates',
    ...gateLines,
    '- pre-pr: this description was scanned before it was posted (verdict in the provenance block)',
    '',
    '### Review',
    reviewLine,
  ].join('\n');
}

/** The pull request a run opened, from its `pr-open` event. */
export function openedPullRequest(
  events: readonly JournalEvent[],
): { number: number; url: string; headBranch: string } | undefined {
  const event = events.findLast((candidate) => candidate.type === 'pr-open');
  if (event === undefined) return undefined;
  const parsed = prOpenDataSchema.safeParse(event.data);
  return parsed.success ? parsed.data : undefined;
}
