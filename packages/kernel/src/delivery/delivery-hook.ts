import {
  type JournalEvent,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type NewJournalEvent,
  type RunStartData,
  SystemError,
  type Workspace,
} from '@orchestrator/spec';
import type { RunJournal, TypedNewEvent } from '../journal/run-journal.ts';
import type { ModelCallGateway } from '../model/model-call-gateway.ts';

/** What a delivery hook gets when a run has converged, before `run-end` is journaled. */
export interface DeliveryContext {
  runId: string;
  /** The run's `run-start` data (task, repository, roles, tests). */
  start: RunStartData;
  /** The run's workspace, holding the converged change. */
  workspace: Workspace;
  /** The final diff of the workspace against its base commit. */
  diff: string;
  /**
   * The paths the model's applied edits touched (Builder and Test-writer): only these belong in the commit. Anything
   * else that differs from the base commit was left by something else (a test run) and is reported and dropped.
   */
  modelPaths: readonly string[];
  /** The run's events so far (read from the store). */
  events(): Promise<JournalEvent[]>;
  /** Appends events through the run's single writer (validated, published on the bus). */
  append(events: readonly NewJournalEvent[]): Promise<JournalEvent[]>;
  /**
   * The model bound to `role` in `run-start`, its calls going through the kernel's gateway (journaled with prompt and
   * response blobs, reserved and settled in the budget ledger) under `stepId`; undefined when the role is not bound.
   */
  modelFor(role: string, stepId: string): ModelPort | undefined;
}

/** What delivery did: `blocked` pauses the run with `reason` and `detail` (nothing after the block happens). */
export type DeliveryOutcome = { status: 'delivered' } | { status: 'blocked'; reason: string; detail: string };

/**
 * Called by the kernel when a run converges, before `run-end`: the composition root commits, gates, pushes and opens
 * the pull request here. Called again on resume when the run had not ended, so it must be idempotent.
 */
export type DeliveryHook = (context: DeliveryContext) => Promise<DeliveryOutcome>;

/** A model port whose calls go through the gateway; a failed call throws (the delivery decides what to do). */
function gatewayModel(
  model: ModelPort,
  gateway: ModelCallGateway,
  role: string,
  stepId: string,
  firstCall: number,
): ModelPort {
  let calls = firstCall;
  const generate = async (request: ModelRequest): Promise<ModelResponse> => {
    calls += 1;
    const callId = `${stepId}-call-${calls}`;
    const result = await gateway.call({ role, stepId, callId, model, request });
    if (result.ok) return result.response;
    throw new SystemError({
      code: result.failure === 'budget' ? 'delivery-model-budget' : 'delivery-model-error',
      message: `The ${role} call failed: ${result.failure === 'budget' ? result.detail : result.message}`,
      hint: 'Raise the budget or check the provider, then resume the run.',
    });
  };
  return {
    specificationVersion: 'v1',
    provider: model.provider,
    modelId: model.modelId,
    generate,
    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      try {
        const response = await generate(request);
        yield { type: 'text-delta', delta: response.text };
        yield { type: 'finish', response };
      } catch (error) {
        yield { type: 'error', error };
      }
    },
    countTokens: (request) => model.countTokens(request),
  };
}

/**
 * Runs the runtime's delivery hook for a converged run (no-op without one). On `blocked`, journals `run-pause` with the
 * hook's reason and detail and returns true: the caller returns the paused result instead of ending the run.
 */
export async function runDeliveryHook(options: {
  hook: DeliveryHook | undefined;
  journal: RunJournal;
  store: { read(runId: string): Promise<JournalEvent[]> };
  start: RunStartData;
  workspace: Workspace;
  diff: string;
  modelPaths: readonly string[];
  models: ReadonlyMap<string, ModelPort>;
  gateway: ModelCallGateway;
}): Promise<boolean> {
  const { hook, journal } = options;
  if (hook === undefined) return false;
  const events = () => options.store.read(journal.runId);
  const outcome = await hook({
    runId: journal.runId,
    start: options.start,
    workspace: options.workspace,
    diff: options.diff,
    modelPaths: options.modelPaths,
    events,
    append: (newEvents) => journal.append(newEvents as readonly TypedNewEvent[]),
    modelFor: (role, stepId) => {
      const model = options.models.get(role);
      if (model === undefined) return undefined;
      return gatewayModel(model, options.gateway, role, stepId, 0);
    },
  });
  if (outcome.status === 'delivered') return false;
  await journal.appendOne('run-pause', { reason: outcome.reason, detail: outcome.detail });
  return true;
}
