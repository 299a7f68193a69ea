import {
  type FileEdit,
  type InvalidCitation,
  type ModelPort,
  OrchestratorError,
  type PatchApplyData,
  type ProtocolMessage,
  parseProtocolMessage,
  type RunLimits,
  type RunStartData,
  type TestRunData,
  type TestTools,
  type Workspace,
} from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';
import type { CompletedTurn, OpenTurn } from '../journal/run-projection.ts';
import type { ModelCallGateway } from '../model/model-call-gateway.ts';
import { buildPrompt, buildRepairRequest, type ConversationEntry, type PromptInput } from '../prompt/build-prompt.ts';
import type { ContextProvider } from '../prompt/context-provider.ts';
import { notesFor } from '../prompt/turn-notes.ts';
import {
  type CitationRecord,
  citationProblem,
  citationRecordOf,
  citationRepairError,
  invalidCitationsOf,
  joinProblems,
  retrievedChunkIdsOf,
} from '../retrieval/citation-check.ts';
import { changedAcceptanceFiles, isTesting, redTargetOf, runTestPhase, testEditsOf } from '../test-gate/run-tests.ts';
import { testEvidenceFor } from '../test-gate/test-evidence.ts';
import { validRedTurn } from '../test-gate/test-first.ts';
import { capturePreImage, type PreImage, restorePreImage } from './edit-pre-image.ts';
import { elideReply, oversizeProblem, sizeLimitsOf } from './edit-size-check.ts';
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
  /** The sandbox and test helpers (absent: the runtime runs no tests). */
  testTools?: TestTools | undefined;
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

type AskResult =
  | { ok: true; message: ProtocolMessage; citations: CitationRecord }
  | { ok: false; reason: string; detail: string };

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
  const promptInput: PromptInput = {
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
    notes: notesFor(context.turns, next, context.start.tests),
    tests: await testEvidenceFor(context.journal, context.turns, next.kind),
    maxOutputTokens: binding.maxOutputTokens ?? 4096,
    ...(binding.temperature === undefined ? {} : { temperature: binding.temperature }),
    runId: context.journal.runId,
    stepId,
  };
  // Packed to fit the model's context window and the step's token ceiling (what was cut is journaled).
  const fitted = await context.gateway.fitPrompt(model, promptInput);
  const retrievedChunkIds = retrievedChunkIdsOf(fitted.context);
  let request = buildPrompt(fitted);
  let lastFailure = { callId: '', reason: '', error: '' };
  let repairedCitations: InvalidCitation[] = [];
  for (let attempt = 0; attempt <= context.limits.maxRepairAttempts; attempt += 1) {
    const callId = `${stepId}-call-${priorCalls + attempt + 1}`;
    const result = await context.gateway.call({ role: next.role, stepId, callId, model, request });
    if (!result.ok) {
      return result.failure === 'budget'
        ? { ok: false, reason: 'budget-exhausted', detail: result.detail }
        : {
            ok: false,
            reason: pauseReasonOfModelError(result.code),
            detail: `The ${next.role}'s model call failed (${result.code}): ${result.message}`,
          };
    }
    const parsed = parseProtocolMessage(next.kind, result.response);
    const oversize = parsed.success ? oversizeProblem(parsed.message, sizeLimitsOf(context.limits)) : undefined;
    if (oversize !== undefined) {
      // Refused before it is journaled: the repair request shows the model only the start of its reply.
      lastFailure = { callId, reason: 'too-large', error: oversize };
      request = buildRepairRequest(request, elideReply(result.response.text), next.kind, oversize);
      continue;
    }
    if (parsed.success) {
      // A citation of a chunk the turn was not given is a protocol error: re-asked while repairs remain, else recorded.
      const invalid = invalidCitationsOf(parsed.message, retrievedChunkIds);
      if (invalid.length === 0 || attempt === context.limits.maxRepairAttempts) {
        return {
          ok: true,
          message: parsed.message,
          citations: citationRecordOf(retrievedChunkIds, invalid, repairedCitations),
        };
      }
      repairedCitations = [...repairedCitations, ...invalid];
      request = buildRepairRequest(request, result.response.text, next.kind, citationRepairError(invalid));
      continue;
    }
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

/** The edits a message asks for: an implementation's, or a test message's rendered acceptance test and edits. */
function editsOf(context: TurnContext, message: ProtocolMessage): FileEdit[] | { problem: string } | undefined {
  if (message.kind === 'implement') return message.edits as FileEdit[];
  if (message.kind !== 'test') return undefined;
  const tests = context.start.tests;
  if (context.testTools === undefined || !isTesting(tests)) {
    return { problem: 'the run has no test command, so an acceptance test cannot be run' };
  }
  try {
    return testEditsOf(message, context.testTools, tests);
  } catch (error) {
    if (OrchestratorError.isInstance(error))
      return { problem: `the acceptance spec cannot be rendered: ${error.message}` };
    throw error;
  }
}

async function pause(context: TurnContext, stepId: string, reason: string, detail: string): Promise<TurnOutcome> {
  await context.journal.append([
    { type: 'step-end', stepId, data: { status: 'failed', result: { reason } } },
    { type: 'run-pause', data: { reason, detail } },
  ]);
  return { status: 'paused', reason, detail };
}

/** Runs the tests after a test or implement turn's edits applied: red for the Test-writer, green (or check) after. */
async function testTurn(
  context: TurnContext,
  message: ProtocolMessage,
  turn: number,
  stepId: string,
): Promise<TestRunData | { paused: TurnOutcome }> {
  const tests = context.start.tests;
  const tools = context.testTools;
  if (!isTesting(tests)) throw new Error('testTurn called on a run without tests');
  if (tools === undefined) {
    return {
      paused: await pause(
        context,
        stepId,
        'sandbox-error',
        `This run tests its changes with \`${tests.command}\`, but this runtime has no sandbox. Resume it from the CLI (orchestrator resume).`,
      ),
    };
  }
  const proposal = context.turns.findLast((entry) => entry.message?.kind === 'propose')?.message;
  const phase = message.kind === 'test' ? 'red' : validRedTurn(context.turns) === undefined ? 'check' : 'green';
  try {
    return await runTestPhase({
      tools,
      tests,
      workspace: context.workspace,
      journal: context.journal,
      phase,
      turn,
      stepId,
      diskQuotaBytes: sizeLimitsOf(context.limits).testDiskQuotaBytes,
      ...(message.kind === 'test'
        ? { target: redTargetOf(message, proposal?.kind === 'propose' ? proposal.files : []) }
        : {}),
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const hint = OrchestratorError.isInstance(error) && error.hint !== undefined ? ` ${error.hint}` : '';
    if (OrchestratorError.isInstance(error) && error.code === 'test-disk-quota') {
      return { paused: await pause(context, stepId, error.code, `${detail}${hint}`) };
    }
    return { paused: await pause(context, stepId, 'sandbox-error', `The tests could not run: ${detail}${hint}`) };
  }
}

/**
 * Plays one turn, or finishes an interrupted one from where its journal stops: a recorded message is not asked for
 * again; recorded edits are not applied again; edits interrupted mid-application are rolled back to their journaled
 * pre-image and applied again; tests journaled are not run again. A `test` turn's acceptance test runs red after its
 * edits apply; an `implement` turn's tests run (green) after its edits apply, when the run has tests.
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
  let invalidCitations = open?.invalidCitations ?? [];
  let edits: ReturnType<typeof editsOf>;
  if (message === undefined) {
    const asked = await askModel(context, next, turn, stepId, open?.modelCalls ?? 0);
    if (!asked.ok) return pause(context, stepId, asked.reason, asked.detail);
    message = asked.message;
    invalidCitations = asked.citations.invalidCitations ?? [];
    edits = editsOf(context, message);
    if (Array.isArray(edits)) {
      const preImage: PreImage = await capturePreImage(context.workspace, edits);
      const preImageSha256 = await context.journal.putBlob(JSON.stringify(preImage));
      await context.journal.appendOne(
        'message',
        { role: next.role, turn, message, preImageSha256, ...asked.citations },
        stepId,
      );
    } else {
      await context.journal.appendOne('message', { role: next.role, turn, message, ...asked.citations }, stepId);
    }
  } else {
    edits = editsOf(context, message);
    if (Array.isArray(edits) && open?.patch === undefined && open?.preImageSha256 !== undefined) {
      const blob = await context.journal.getBlob(open.preImageSha256);
      if (blob !== undefined) await restorePreImage(context.workspace, JSON.parse(blob) as PreImage);
    }
  }
  if (edits === undefined || !Array.isArray(edits)) {
    const result =
      edits === undefined
        ? { verdict: 'verdict' in message ? message.verdict : null }
        : { verdict: null, problem: edits.problem };
    await context.journal.appendOne('step-end', { status: 'ok', result }, stepId);
    return { status: 'completed' };
  }
  const batch = edits;
  const citationIssue = message.kind === 'implement' ? citationProblem(invalidCitations) : undefined;
  let patch = open?.patch;
  const testing = isTesting(context.start.tests);
  if (patch === undefined) {
    const result = await context.workspace.applyEdits(batch, { limits: sizeLimitsOf(context.limits) });
    context.journal.checkpoint({ kind: 'edits-applied', turn });
    patch = result.ok ? { ok: true, turn, applied: result.applied } : { ok: false, turn, failures: result.failures };
    // Without tests the patch and the step end are one atomic append; with tests the patch is durable before they run.
    if (testing) await context.journal.appendOne('patch-apply', patch, stepId);
    else
      return endEditTurn(
        context,
        stepId,
        patch,
        [{ type: 'patch-apply', stepId, data: patch }],
        undefined,
        citationIssue,
      );
  }
  let testRun = open?.testRuns?.at(-1);
  if (testing && patch.ok && testRun === undefined) {
    const tested = await testTurn(context, message, turn, stepId);
    if ('paused' in tested) return tested.paused;
    testRun = tested;
  }
  const problem = joinProblems(await tamperingOf(context, message, patch), citationIssue);
  return endEditTurn(context, stepId, patch, [], testRun, problem);
}

/** For an implementation: which acceptance test files of the valid red it changed or deleted, as a problem. */
async function tamperingOf(
  context: TurnContext,
  message: ProtocolMessage,
  patch: PatchApplyData,
): Promise<string | undefined> {
  const red = validRedTurn(context.turns)?.message;
  const tests = context.start.tests;
  if (message.kind !== 'implement' || !patch.ok || red?.kind !== 'test' || !context.testTools || !isTesting(tests)) {
    return undefined;
  }
  const changed = await changedAcceptanceFiles(red, context.testTools, tests, context.workspace);
  return changed.length === 0
    ? undefined
    : `the implementation changed or deleted the acceptance test (${changed.join(', ')}); restore it and make it pass`;
}

async function endEditTurn(
  context: TurnContext,
  stepId: string,
  patch: PatchApplyData,
  before: Parameters<RunJournal['append']>[0],
  testRun?: TestRunData,
  problem?: string,
): Promise<TurnOutcome> {
  const diff = await context.workspace.diff();
  const diffSha256 = await context.journal.putBlob(diff);
  const tests = testRun === undefined ? {} : { tests: { phase: testRun.phase, exitCode: testRun.exitCode } };
  const result = { diffSha256, applied: patch.ok, ...tests, ...(problem === undefined ? {} : { problem }) };
  await context.journal.append([...before, { type: 'step-end', stepId, data: { status: 'ok', result } }]);
  return { status: 'completed' };
}
