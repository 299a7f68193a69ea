import type { JournalEvent } from '@orchestrator/spec';
import { controlDataOf, dataOf, stringField } from './known-event.ts';

const numberFormat = new Intl.NumberFormat('en-US');

function usd(value: number): string {
  return `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
}

function clip(text: string, length = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

/** A one-line, human summary of an event, and the role involved when any. */
export function describeEvent(event: JournalEvent): { summary: string; role?: string } {
  switch (event.type) {
    case 'run-start': {
      const data = dataOf(event, 'run-start');
      return { summary: data ? `run started: "${clip(data.task)}"` : 'run started' };
    }
    case 'step-start': {
      const data = dataOf(event, 'step-start');
      return data
        ? { summary: `${data.role} starts turn ${data.turn} (${data.kind})`, role: data.role }
        : { summary: 'step started' };
    }
    case 'model-call-start': {
      const data = dataOf(event, 'model-call-start');
      return data
        ? {
            summary: `${data.role} → ${data.provider}/${data.model} (max ${numberFormat.format(data.maxOutputTokens)} out, reserved ${usd(data.reservedUsd)})`,
            role: data.role,
          }
        : { summary: 'model call started' };
    }
    case 'model-call-end': {
      const data = dataOf(event, 'model-call-end');
      if (!data) return { summary: 'model call ended' };
      const input = data.usage.inputTokens + data.usage.cacheReadTokens + data.usage.cacheWriteTokens;
      const cache =
        data.usage.cacheReadTokens > 0 ? `, ${numberFormat.format(data.usage.cacheReadTokens)} cache-read` : '';
      return {
        summary: `${data.role} ← ${data.model}: ${numberFormat.format(input)} in / ${numberFormat.format(data.usage.outputTokens)} out${cache}, ${usd(data.costUsd)}${data.cached ? ' (response cache)' : ''}`,
        role: data.role,
      };
    }
    case 'model-call-error': {
      const data = dataOf(event, 'model-call-error');
      return { summary: data ? `model call failed: ${data.code} — ${clip(data.message)}` : 'model call failed' };
    }
    case 'message': {
      const role = stringField(event.data, 'role');
      const message = (event.data as { message?: unknown } | null)?.message;
      const kind = stringField(message, 'kind') ?? 'message';
      const summary = stringField(message, 'summary');
      return {
        summary: `${role ?? 'a role'} (${kind})${summary ? `: ${clip(summary)}` : ''}`,
        ...(role === undefined ? {} : { role }),
      };
    }
    case 'patch-apply': {
      const data = dataOf(event, 'patch-apply');
      if (!data) return { summary: 'patch applied' };
      return {
        summary: data.ok
          ? `patch applied: ${data.applied.length} edit(s)`
          : `patch failed: ${data.failures.length} edit(s) did not apply`,
      };
    }
    case 'test-run': {
      const data = dataOf(event, 'test-run');
      return {
        summary: data ? `tests (${data.phase}) exit ${data.exitCode}: ${clip(data.summary)}` : 'tests ran',
      };
    }
    case 'policy-verdict': {
      const data = dataOf(event, 'policy-verdict');
      return {
        summary: data ? `gate ${data.gate}: ${data.verdict} (${data.findings.length} finding(s))` : 'policy verdict',
      };
    }
    case 'approval-request': {
      const data = dataOf(event, 'approval-request');
      return { summary: data ? `approval needed (${data.gate}): ${clip(data.reason)}` : 'approval needed' };
    }
    case 'approval-decision': {
      const data = controlDataOf(event, 'approval-decision');
      return {
        summary: data ? `${data.decision} by ${data.by} (approval ${data.approvalId})` : 'approval decided',
      };
    }
    case 'pr-open': {
      const data = dataOf(event, 'pr-open');
      return { summary: data ? `pull request #${data.number} opened: ${data.url}` : 'pull request opened' };
    }
    case 'step-end': {
      const data = dataOf(event, 'step-end');
      return { summary: data ? `step ${data.status}` : 'step ended' };
    }
    case 'run-pause': {
      const data = dataOf(event, 'run-pause');
      return { summary: data ? `paused (${data.reason}): ${clip(data.detail)}` : 'paused' };
    }
    case 'run-resume': {
      const data = dataOf(event, 'run-resume');
      return { summary: data ? `resumed by ${data.by}` : 'resumed' };
    }
    case 'instruction-edit': {
      const data = controlDataOf(event, 'instruction-edit');
      return { summary: data ? `instruction edited by ${data.by}: "${clip(data.instruction)}"` : 'instruction edited' };
    }
    case 'step-rerun': {
      const data = controlDataOf(event, 'step-rerun');
      return { summary: data ? `re-run of step ${data.stepId} requested by ${data.by}` : 're-run requested' };
    }
    case 'run-end': {
      const data = dataOf(event, 'run-end');
      return { summary: data ? `run ended: ${data.status}` : 'run ended' };
    }
    default:
      return { summary: event.type };
  }
}
