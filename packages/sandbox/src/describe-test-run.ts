import { constants } from 'node:os';
import type { RedRunClassification, TestRunData, TestRunResult } from '@orchestrator/spec';

/**
 * The `test-run` journal event's data for a run: the exit code (128 + signal number when a signal ended it, as shells
 * report it) and a one-line summary with counts, kill reason, the red verdict and the opt-out.
 */
export function describeTestRun(
  result: TestRunResult,
  phase: TestRunData['phase'],
  verdict?: RedRunClassification,
): TestRunData {
  const signalNumber =
    result.signal === null ? undefined : constants.signals[result.signal as keyof typeof constants.signals];
  const exitCode = result.exitCode ?? 128 + (signalNumber ?? 9);
  const parts: string[] = [];
  if (result.summary !== null) {
    const { passed, failed, skipped, framework } = result.summary;
    parts.push(`${passed} passed, ${failed} failed, ${skipped} skipped (${framework})`);
  } else {
    parts.push(result.exitCode === 0 ? 'passed (no counts parsed)' : 'failed (no counts parsed)');
  }
  if (result.killed !== null) parts.push(`killed: ${result.killed}`);
  if (result.processLimitHit) parts.push('process limit hit');
  if (verdict !== undefined) {
    parts.push(`${verdict.expectedReason ? 'valid red' : 'invalid red'}: ${verdict.kind}`);
    const firstLine = verdict.evidence.split('\n')[0];
    if (firstLine) parts.push(firstLine.slice(0, 160));
  }
  if (result.sandbox === 'none') parts.push('UNSANDBOXED (--sandbox none)');
  return { phase, command: result.command, exitCode, summary: parts.join('; '), durationMs: result.durationMs };
}
