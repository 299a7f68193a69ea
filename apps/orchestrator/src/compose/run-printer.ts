import type { MessageBus } from '@orchestrator/kernel';
import {
  formatBytes,
  type ProtocolMessage,
  type RunTests,
  type TestLeftoversData,
  type TestRunData,
  toTypedJournalEvent,
} from '@orchestrator/spec';
import pc from 'picocolors';
import { clipText } from './clip-text.ts';

function describeEdit(edit: Extract<ProtocolMessage, { kind: 'implement' }>['edits'][number]): string {
  switch (edit.kind) {
    case 'rename':
      return `rename ${clipText(edit.from, 300)} → ${clipText(edit.to, 300)}`;
    case 'unified-diff':
      return 'apply a unified diff';
    default:
      return `${edit.kind} ${clipText(edit.path, 300)}`;
  }
}

/** Lines describing a debate message, as printed live and by `runs show`. */
export function describeMessage(role: string, turn: number, message: ProtocolMessage): string[] {
  const lines = [
    `${pc.bold(`turn ${turn}`)} ${pc.cyan(role.padEnd(9))} ${pc.magenta(message.kind.padEnd(9))} ${clipText(message.summary)}`,
  ];
  if (message.kind === 'implement') for (const edit of message.edits) lines.push(`    edit   ${describeEdit(edit)}`);
  if (message.kind === 'critique' || message.kind === 'verify') {
    const rubric = message.rubric;
    const verdict = message.verdict === 'accept' ? pc.green(message.verdict) : pc.yellow(message.verdict);
    lines.push(
      `    verdict ${verdict} · rubric correctness ${rubric.correctness}, completeness ${rubric.completeness}, risk ${rubric.risk}, tests ${rubric.testCoverage}, scope ${rubric.scope}`,
    );
  }
  for (const risk of message.risks) {
    const severity = risk.severity === 'high' || risk.severity === 'critical' ? pc.red : pc.yellow;
    lines.push(`    ${severity(`risk ${risk.severity}`)} [${clipText(risk.id, 200)}] ${clipText(risk.description)}`);
    lines.push(`      fix: ${clipText(risk.fix)}`);
  }
  if (message.resolvedRisks.length > 0) lines.push(`    resolves ${clipText(message.resolvedRisks.join(', '))}`);
  for (const evidence of message.evidence) {
    if (evidence.kind !== 'chunk') continue;
    const cited = evidence.startLine === undefined ? '' : ` lines ${evidence.startLine}-${evidence.endLine ?? '?'}`;
    lines.push(`    cites  ${clipText(evidence.chunkId, 300)}${cited}`);
  }
  return lines;
}

/** The line saying how a run tests its changes (or that it runs no tests, and why). */
export function describeRunTests(tests: RunTests): string {
  const sandbox = tests.sandbox === 'none' ? pc.red('UNSANDBOXED (--sandbox none)') : `sandbox ${tests.sandbox}`;
  if (tests.command === undefined)
    return pc.yellow(`tests: none detected, no Test-writer · ${sandbox} · ${tests.reason}`);
  return pc.dim(`tests: ${tests.command} (${tests.framework ?? 'unknown'}) · ${sandbox} · ${tests.reason}`);
}

/** The line of a test run: phase, command, exit code, summary, duration. */
export function describeTestRun(run: TestRunData): string {
  const ok = run.phase === 'red' ? run.verdict?.expectedReason === true : run.exitCode === 0;
  const label = `${run.phase === 'red' ? 'red  ' : run.phase === 'green' ? 'green' : 'check'} ${run.command} → exit ${run.exitCode}`;
  const when = run.turn === undefined ? ' · before any change' : '';
  const line = `    ${ok ? pc.green(label) : pc.yellow(label)} · ${run.summary} · ${Math.round(run.durationMs)} ms${when}`;
  if (run.outputTail === undefined || run.outputTail === '') return line;
  // The tail was bounded and stripped of control characters when it was journaled; indented under its run.
  const tail = run.outputTail
    .split('\n')
    .map((text) => pc.dim(`      │ ${text}`))
    .join('\n');
  return `${line}\n${pc.dim(`      last lines of \`${run.command}\` (exit ${run.exitCode}):`)}\n${tail}`;
}

/** The line of a `test-leftovers` event: where, how many files and bytes, the first few, what became of them. */
export function describeLeftoverEvent(data: TestLeftoversData): string {
  const where =
    data.stage === 'commit'
      ? 'at commit'
      : `after the ${data.phase ?? ''} run${data.turn === undefined ? '' : ` of turn ${data.turn}`}`;
  const shown = data.files
    .slice(0, 3)
    .map((file) => `${clipText(file.path, 200)} (${formatBytes(file.bytes)}, ${file.change})`);
  const more = data.count > shown.length ? ` and ${data.count - shown.length} more` : '';
  const action =
    data.action === 'dropped'
      ? 'dropped, not committed'
      : data.action === 'approved'
        ? 'approved'
        : 'held for approval';
  const quota =
    data.quotaExceededBytes === undefined ? '' : ` · over the ${formatBytes(data.quotaExceededBytes)} disk quota`;
  return `leftovers ${where}: ${data.count} file(s), ${formatBytes(data.totalBytes)} · ${shown.join(', ')}${more} · ${action}${quota}`;
}

/** Prints each turn of the debate as it is journaled. Returns the unsubscribe function. */
export function printRunLive(bus: MessageBus, write: (line: string) => void): () => void {
  return bus.subscribe((raw) => {
    const event = toTypedJournalEvent(raw);
    if (!event) return;
    switch (event.type) {
      case 'run-start':
        write(
          pc.dim(
            `run ${raw.runId} · ${event.data.task} · ${event.data.roles.map((role) => `${role.role}=${role.provider}/${role.model}`).join(' ')}`,
          ),
        );
        if (event.data.tests !== undefined) write(describeRunTests(event.data.tests));
        break;
      case 'run-resume':
        write(pc.dim(`run ${raw.runId} resumed by ${event.data.by}`));
        break;
      case 'message':
        for (const line of describeMessage(event.data.role, event.data.turn, event.data.message)) write(line);
        for (const invalid of event.data.invalidCitations ?? [])
          write(pc.red(`    citation invalid: ${invalid.message}`));
        break;
      case 'patch-apply':
        write(
          event.data.ok
            ? pc.dim(`    applied ${event.data.applied.length} edit(s)`)
            : pc.yellow(
                `    edits did not apply: ${clipText(event.data.failures.map((failure) => `${failure.path} ${failure.reason}`).join('; '))}`,
              ),
        );
        break;
      case 'test-run':
        write(describeTestRun(event.data));
        break;
      case 'test-leftovers':
        write(pc.yellow(`    ${describeLeftoverEvent(event.data)}`));
        break;
      case 'model-call-error':
        write(pc.yellow(`    model call ${event.data.callId} failed: ${event.data.code} (${event.data.kind})`));
        break;
      default:
        break;
    }
  });
}
