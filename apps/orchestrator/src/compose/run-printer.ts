import type { MessageBus } from '@orchestrator/kernel';
import { type ProtocolMessage, type RunTests, type TestRunData, toTypedJournalEvent } from '@orchestrator/spec';
import pc from 'picocolors';

function describeEdit(edit: Extract<ProtocolMessage, { kind: 'implement' }>['edits'][number]): string {
  switch (edit.kind) {
    case 'rename':
      return `rename ${edit.from} → ${edit.to}`;
    case 'unified-diff':
      return 'apply a unified diff';
    default:
      return `${edit.kind} ${edit.path}`;
  }
}

/** Lines describing a debate message, as printed live and by `runs show`. */
export function describeMessage(role: string, turn: number, message: ProtocolMessage): string[] {
  const lines = [
    `${pc.bold(`turn ${turn}`)} ${pc.cyan(role.padEnd(9))} ${pc.magenta(message.kind.padEnd(9))} ${message.summary}`,
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
    lines.push(`    ${severity(`risk ${risk.severity}`)} [${risk.id}] ${risk.description}`);
    lines.push(`      fix: ${risk.fix}`);
  }
  if (message.resolvedRisks.length > 0) lines.push(`    resolves ${message.resolvedRisks.join(', ')}`);
  for (const evidence of message.evidence) {
    if (evidence.kind !== 'chunk') continue;
    const cited = evidence.startLine === undefined ? '' : ` lines ${evidence.startLine}-${evidence.endLine ?? '?'}`;
    lines.push(`    cites  ${evidence.chunkId}${cited}`);
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
  return `    ${ok ? pc.green(label) : pc.yellow(label)} · ${run.summary} · ${Math.round(run.durationMs)} ms${when}`;
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
                `    edits did not apply: ${event.data.failures.map((failure) => `${failure.path} ${failure.reason}`).join('; ')}`,
              ),
        );
        break;
      case 'test-run':
        write(describeTestRun(event.data));
        break;
      case 'model-call-error':
        write(pc.yellow(`    model call ${event.data.callId} failed: ${event.data.code} (${event.data.kind})`));
        break;
      default:
        break;
    }
  });
}
