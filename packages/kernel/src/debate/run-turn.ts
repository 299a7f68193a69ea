import {
  type ModelPort,
  type PatchApplyData,
  type ProtocolMessage,
  parseProtocolMessage,
  type RunLimits,
  type RunStartData,
  type Workspace,
} from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';
import type { CompletedTurn, OpenTurn } from '../journal/run-projection.ts';
import type { ModelCallGateway } from '../model/model-call-gateway.ts';
import { buildPrompt, buildRepairRequest, type ConversationEntry } from '../prompt/build-prompt.ts';
import type { ContextProvider } from '../prompt/context-provider.ts';
import { capturePreImage, type PreImage, restorePreImage } from './edit-pre-image.ts';
import type { NextTurn } from './turn-order.ts';

/** What a turn needs from the run. */
export interface TurnContext {
  journal: RunJournal;
  gateway: ModelCallGateway;
  workspace: Workspace;
  start: RunStartData;
  limits: RunLimits;
  turns: readonly CompletedTurn[];
  models: ReadonlyMap<string, ModelPort>;
  contextProvider: ContextProvider;
}

export type TurnOutcome = { status: 'completed' } | { status: 'paused'; reason: string; detail: string };

/**
 * The pause reason of a failed model call: an overloaded or rate-limiting provider is named (resume when it recovers);
 * every other failure is a `model-error`.
 */
export function pauseReasonOfModelError(code: string): string {
  if (code === 'model-call-overloaded') return 'provider-overloaded';
  if (code === 'model-call-rate-limited') return 'provider-rate-limited';
  return 'model-error';
}

type AskResult = { ok: true; message: ProtocolMessage } | { ok: false; reason: string; detail: string };

function notesFor(turns: readonly CompletedTurn[], next: NextTurn): string[] {
  const notes: string[] = [];
  const last = turns.findLast((turn) => turn.message !== undefined);
  if (last?.message?.kind === 'implement' && last.patch?.ok === false) {
    const failures = last.patch.failures.map(
      (failure) => `${failure.path}: ${failure.reason} ${String(failure.message ?? '')}`,
    );
    notes.push(`Your previous edits (turn ${last.turn}) did not apply, nothing was written: ${failures.join('; ')}`);
  }
  const implementation = turns.findLast((turn) => turn.message?.kind === 'implement');
  if (next.kind === 'verify' && implementation) notes.push(`Verify the implementation of turn ${implementation.turn}.`);
  const proposal = turns.findLast((turn) => turn.message?.kind === 'propose');
  if (next.kind === 'critique' && proposal) notes.push(`Critique the proposal of turn ${proposal.turn}.`);
  return notes;
}

async function askModel(
  context: TurnContext,
  next: NextTurn,
  turn: number,
  stepId: string,
  priorCalls: number,
): Promise<AskResult> {
  const binding = context.start.roles.find((role) => role.role === next.role);
  const model = context.models.get(next.role);
  if (!binding || !model) return { ok: false, reason: 'model-error', detail: `No model is bound to the ${next.role}.` };
  const proposal = context.turns.findLast((entry) => entry.message?.kind === 'propose')?.message;
  const conversation: ConversationEntry[] = context.turns.flatMap((entry) =>
    entry.message === undefined ? [] : [{ turn: entry.turn, role: entry.role, message: entry.message }],
  );
  let request = buildPrompt({
    task: context.start.task,
    role: next.role,
    kind: next.kind,
    turn,
    conversation,
    context: await context.contextProvider({
      task: context.start.task,
      role: next.role,
      kind: next.kind,
      workspace: context.workspace,
      plannedFiles: proposal?.kind === 'propose' ? proposal.files : [],
    }),
    diff: await context.workspace.diff(),
    notes: notesFor(context.turns, next),
    maxOutputTokens: binding.maxOutputTokens ?? 4096,
    ...(binding.temperature === undefined ? {} : { temperature: binding.temperature }),
    runId: context.journal.runId,
    stepId,
  });
  let lastFailure = { callId: '', reason: '', error: '' };
  for (let attempt = 0; attempt <= context.limits.maxRepairAttempts; attempt += 1) {
    const callId = `${stepId}-call-${priorCalls + attempt + 1}`;
    const result = await context.gateway.call({ role: next.role, stepId, callId, model, request });
    if (!result.ok) {
      return result.failure === 'budget'
        ? { ok: false, reason: 'budget', detail: result.detail }
        : {
            ok: false,
            reason: pauseReasonOfModelError(result.code),
            detail: `The ${next.role}'s model call failed (${result.code}): ${result.message}`,
          };
    }
    const parsed = parseProtocolMessage(next.kind, result.response);
    if (parsed.success) return { ok: true, message: parsed.message };
    lastFailure = { callId, reason: parsed.reason, error: parsed.error };
    request = buildRepairRequest(request, result.response.text, next.kind, parsed.error);
  }
  await context.journal.appendOne(
    'model-call-error',
    {
      callId: lastFailure.callId,
      code: 'model-output-invalid',
      kind: lastFailure.reason,
      message: lastFailure.error.slice(0, 4000),
    },
    stepId,
  );
  const attempts = context.limits.maxRepairAttempts + 1;
  return {
    ok: false,
    reason: 'malformed-output',
    detail: `The ${next.role} replied with an invalid ${next.kind} message ${attempts} time(s) (${lastFailure.reason}): ${lastFailure.error.split('\n')[0] ?? ''}`,
  };
}

async function finishImplement(
  context: TurnContext,
  stepId: string,
  patch: PatchApplyData | undefined,
  apply: () => Promise<PatchApplyData>,
): Promise<void> {
  const applied = patch ?? (await apply());
  const diff = await context.workspace.diff();
  const diffSha256 = await context.journal.putBlob(diff);
  await context.journal.append([
    ...(patch === undefined ? [{ type: 'patch-apply' as const, stepId, data: applied }] : []),
    { type: 'step-end', stepId, data: { status: 'ok', result: { diffSha256, applied: applied.ok } } },
  ]);
}

/**
 * Plays one turn, or finishes an interrupted one from where its journal stops: a recorded message is not asked for
 * again; recorded edits are not applied again; edits interrupted mid-application are rolled back to their journaled
 * pre-image and applied again.
 */
export async function runTurn(
  context: TurnContext,
  next: NextTurn,
  turn: number,
  open?: OpenTurn,
): Promise<TurnOutcome> {
  const stepId = open?.stepId ?? `turn-${turn}`;
  if (!open) await context.journal.appendOne('step-start', { role: next.role, turn, kind: next.kind }, stepId);
  let message = open?.message;
  let preImage: PreImage | undefined;
  if (message === undefined) {
    const asked = await askModel(context, next, turn, stepId, open?.modelCalls ?? 0);
    if (!asked.ok) {
      await context.journal.append([
        { type: 'step-end', stepId, data: { status: 'failed', result: { reason: asked.reason } } },
        { type: 'run-pause', data: { reason: asked.reason, detail: asked.detail } },
      ]);
      return { status: 'paused', reason: asked.reason, detail: asked.detail };
    }
    message = asked.message;
    if (message.kind === 'implement') {
      preImage = await capturePreImage(context.workspace, message.edits);
      const preImageSha256 = await context.journal.putBlob(JSON.stringify(preImage));
      await context.journal.appendOne('message', { role: next.role, turn, message, preImageSha256 }, stepId);
    } else {
      await context.journal.appendOne('message', { role: next.role, turn, message }, stepId);
    }
  } else if (message.kind === 'implement' && open?.patch === undefined && open?.preImageSha256 !== undefined) {
    const blob = await context.journal.getBlob(open.preImageSha256);
    if (blob !== undefined) await restorePreImage(context.workspace, JSON.parse(blob) as PreImage);
  }
  if (message.kind !== 'implement') {
    await context.journal.appendOne(
      'step-end',
      { status: 'ok', result: { verdict: 'verdict' in message ? message.verdict : null } },
      stepId,
    );
    return { status: 'completed' };
  }
  const edits = message.edits;
  await finishImplement(context, stepId, open?.patch, async () => {
    const result = await context.workspace.applyEdits(edits);
    context.journal.checkpoint({ kind: 'edits-applied', turn });
    return result.ok ? { ok: true, turn, applied: result.applied } : { ok: false, turn, failures: result.failures };
  });
  return { status: 'completed' };
}
