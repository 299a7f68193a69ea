import {
  emptyUsage,
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
  OrchestratorError,
} from '@orchestrator/spec';
import { failureMayHaveBilled } from '../budget/capped-budget-ledger.ts';
import type { ResponseCache, ResponseCacheHit } from '../budget/response-cache.ts';
import { fitPromptInput } from '../context/fit-prompt-input.ts';
import type { RunJournal } from '../journal/run-journal.ts';
import type { PromptInput } from '../prompt/build-prompt.ts';
import type { BudgetLedger } from './budget-ledger.ts';
import type { PricingHook } from './pricing-hook.ts';

/** Outcome of one model call through the gateway; failures are results, never exceptions. */
export type GatewayCallResult =
  | { ok: true; response: ModelResponse; costUsd: number; callId: string }
  | { ok: false; failure: 'budget'; detail: string; callId: string }
  | { ok: false; failure: 'model-error'; code: string; message: string; callId: string };

export interface GatewayCall {
  role: string;
  stepId: string;
  callId: string;
  model: ModelPort;
  request: ModelRequest;
}

/** The request as journaled: everything that determines the reply, nothing that is not serialisable. */
function requestBlob(model: ModelPort, request: ModelRequest): string {
  return JSON.stringify({
    provider: model.provider,
    model: model.modelId,
    system: request.system,
    messages: request.messages,
    maxOutputTokens: request.maxOutputTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.output === undefined ? {} : { output: request.output }),
  });
}

/** Carries a throw of a call's own work (not the journal's) to `call`, which makes it the call's result. */
class CallFailure extends Error {
  readonly original: unknown;

  constructor(original: unknown) {
    super('model call failed', { cause: original });
    this.original = original;
  }
}

function parseResponseBlob(text: string): ModelResponse | undefined {
  try {
    const value = JSON.parse(text) as ModelResponse;
    return typeof value.text === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The one way the kernel calls a model: reserves the worst case in the budget ledger, journals `model-call-start`
 * (request stored once as a blob), calls the model, journals `model-call-end` with usage and cost (response as a blob)
 * or `model-call-error`, and settles or releases the reservation. A request already answered in this run (e.g. the
 * step was interrupted after the call) is replayed from the journal instead of paying again; one answered in an
 * earlier run is served from the response cache (when given) at zero cost, journaled with `cached: true`.
 */
export class ModelCallGateway {
  private readonly journal: RunJournal;
  private readonly ledger: BudgetLedger;
  private readonly pricing: PricingHook;
  private readonly recordedResponses: Map<string, string>;
  private readonly responseCache: ResponseCache | undefined;
  private readonly stepTokenCeiling: number | undefined;
  private readonly now: () => number;

  constructor(options: {
    journal: RunJournal;
    ledger: BudgetLedger;
    pricing: PricingHook;
    recordedResponses?: Map<string, string>;
    /** Serves identical requests across runs at zero cost and stores paid replies; omit (or disable) for none. */
    responseCache?: ResponseCache;
    /** Token ceiling (input + output) of each step: prompts are packed to fit it. */
    stepTokenCeiling?: number | undefined;
    now?: () => number;
  }) {
    this.journal = options.journal;
    this.ledger = options.ledger;
    this.pricing = options.pricing;
    this.recordedResponses = options.recordedResponses ?? new Map();
    this.responseCache = options.responseCache;
    this.stepTokenCeiling = options.stepTokenCeiling;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Makes one call. Whatever the call's own work throws (counting tokens, pricing, the ledger, the adapter, the
   * response cache) comes back as a `model-error` result, journaled as `model-call-error`, so the turn ends with
   * `step-end` and the run pauses with a reason instead of staying stuck after `step-start`. Only a failure of the
   * journal itself propagates: then nothing can be recorded, and the run resumes from what was.
   */
  async call(call: GatewayCall): Promise<GatewayCallResult> {
    try {
      return await this.callOnce(call);
    } catch (error) {
      if (error instanceof CallFailure) return this.failure(call, error.original);
      throw error;
    }
  }

  /** Runs a part of the call that is not the journal's; its throw becomes the call's failure (see `call`). */
  private async guarded<Result>(work: () => Promise<Result> | Result): Promise<Result> {
    try {
      return await work();
    } catch (error) {
      throw new CallFailure(error);
    }
  }

  private async callOnce(call: GatewayCall): Promise<GatewayCallResult> {
    const { model, request, role, stepId, callId } = call;
    const identity = { callId, role, provider: model.provider };
    const requestSha256 = await this.journal.putBlob(requestBlob(model, request));
    const replayed = await this.replay(requestSha256);
    if (replayed) {
      return this.journalFreeCall(call, requestSha256, {
        response: replayed.response,
        responseSha256: replayed.sha256,
        usage: { ...emptyUsage },
      });
    }
    const hit = await this.guarded(() => this.responseCache?.lookup(model.provider, model.modelId, request));
    if (hit) return this.serveCached(call, requestSha256, hit);
    const counted = await this.guarded(() => model.countTokens(request));
    const reserved = await this.guarded(() =>
      this.ledger.reserve({
        runId: this.journal.runId,
        callId,
        role,
        provider: model.provider,
        model: model.modelId,
        inputTokens: counted.inputTokens,
        maxOutputTokens: request.maxOutputTokens,
        worstCaseUsd: this.pricing.worstCaseUsd({
          provider: model.provider,
          model: model.modelId,
          inputTokens: counted.inputTokens,
          maxOutputTokens: request.maxOutputTokens,
        }),
      }),
    );
    if (!reserved.ok) return { ok: false, failure: 'budget', detail: reserved.detail, callId };
    const reservation = reserved.reservation;
    const effectiveRequest = { ...request, maxOutputTokens: reservation.maxOutputTokens };
    try {
      await this.journal.appendOne(
        'model-call-start',
        {
          ...identity,
          model: model.modelId,
          requestSha256,
          maxOutputTokens: reservation.maxOutputTokens,
          reservedUsd: reservation.reservedUsd,
        },
        stepId,
      );
    } catch (error) {
      // The journal failed and the model was not called: the hold goes back before the failure propagates.
      await this.ledger.release(reservation);
      throw error;
    }
    const started = this.now();
    let response: ModelResponse;
    try {
      response = await model.generate(effectiveRequest);
    } catch (error) {
      const code = OrchestratorError.isInstance(error) ? error.code : 'model-call-failed';
      const kind = ModelCallError.isModelCallError(error) ? error.kind : 'unknown';
      // A call that may have been billed (cut stream, timeout, unknown) settles at its full reservation.
      await this.guarded(() =>
        failureMayHaveBilled(kind)
          ? this.ledger.settle(reservation, reservation.reservedUsd)
          : this.ledger.release(reservation),
      );
      const message = error instanceof Error ? error.message : String(error);
      await this.journal.appendOne('model-call-error', { callId, code, kind, message }, stepId);
      return { ok: false, failure: 'model-error', code, message, callId };
    }
    const durationMs = Math.max(0, this.now() - started);
    const usage = response.usage;
    const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const costUsd = await this.guarded(async () => {
      const cost = this.pricing.costOfUsage({ provider: model.provider, model: model.modelId, usage }) ?? 0;
      await this.ledger.settle(reservation, cost, tokens);
      return cost;
    });
    const responseSha256 = await this.journal.putBlob(JSON.stringify(response));
    this.recordedResponses.set(requestSha256, responseSha256);
    await this.journal.appendOne(
      'model-call-end',
      {
        ...identity,
        model: response.modelId || model.modelId,
        responseSha256,
        usage: response.usage,
        costUsd,
        cached: false,
        durationMs,
      },
      stepId,
    );
    // After the end is journaled (a resume replays the paid reply even if saving it here fails). Stored under the
    // request as asked (before the budget clamp), so the next identical request finds it.
    await this.guarded(() => this.responseCache?.save(model.provider, model.modelId, request, response));
    return { ok: true, response, costUsd, callId };
  }

  /** A throw of the call's own work, journaled and returned as a `model-error` result. */
  private async failure(call: GatewayCall, error: unknown): Promise<GatewayCallResult> {
    const code = OrchestratorError.isInstance(error) ? error.code : 'model-call-failed';
    const kind = ModelCallError.isModelCallError(error) ? error.kind : 'gateway';
    const message = error instanceof Error ? error.message : String(error);
    await this.journal.appendOne('model-call-error', { callId: call.callId, code, kind, message }, call.stepId);
    return { ok: false, failure: 'model-error', code, message, callId: call.callId };
  }

  /**
   * Fits a turn's prompt into the model's context window and the step's token ceiling (`fitPromptInput`), journaling
   * `context-pack` with what was left out or shortened; a prompt that fits is returned unchanged.
   */
  async fitPrompt(model: ModelPort, input: PromptInput): Promise<PromptInput> {
    const contextWindow = this.contextWindowOf(model);
    const limits = { contextWindow, stepTokenCeiling: this.stepTokenCeiling };
    const fitted = fitPromptInput(input, limits);
    if (fitted.dropped.length === 0) return fitted.input;
    await this.journal.appendOne(
      'context-pack',
      {
        role: input.role,
        model: model.modelId,
        ...(contextWindow === undefined ? {} : { contextWindow }),
        ...(this.stepTokenCeiling === undefined ? {} : { stepTokenCeiling: this.stepTokenCeiling }),
        availableTokens: fitted.availableTokens,
        usedTokens: fitted.usedTokens,
        dropped: fitted.dropped,
      },
      input.stepId,
    );
    return fitted.input;
  }

  /** The model's context window from the pricing hook; unknown (no packing to a window) when the lookup fails. */
  private contextWindowOf(model: ModelPort): number | undefined {
    try {
      return this.pricing.contextWindow?.({ provider: model.provider, model: model.modelId });
    } catch {
      return undefined;
    }
  }

  /** A response-cache hit: journaled as a call reserving and costing nothing, with the usage the original paid. */
  private async serveCached(
    call: GatewayCall,
    requestSha256: string,
    hit: ResponseCacheHit,
  ): Promise<GatewayCallResult> {
    const responseSha256 = await this.journal.putBlob(hit.responseText);
    this.recordedResponses.set(requestSha256, responseSha256);
    return this.journalFreeCall(call, requestSha256, { response: hit.response, responseSha256, usage: hit.savedUsage });
  }

  /**
   * Journals a call answered without paying (an in-run replay or a response-cache hit): a start reserving nothing and
   * an end costing nothing, marked `cached`, carrying the usage that was saved.
   */
  private async journalFreeCall(
    call: GatewayCall,
    requestSha256: string,
    answer: { response: ModelResponse; responseSha256: string; usage: ModelUsage },
  ): Promise<GatewayCallResult> {
    const { model, request, role, stepId, callId } = call;
    const identity = { callId, role, provider: model.provider };
    await this.journal.append([
      {
        type: 'model-call-start',
        stepId,
        data: {
          ...identity,
          model: model.modelId,
          requestSha256,
          maxOutputTokens: request.maxOutputTokens,
          reservedUsd: 0,
        },
      },
      {
        type: 'model-call-end',
        stepId,
        data: {
          ...identity,
          model: answer.response.modelId || model.modelId,
          responseSha256: answer.responseSha256,
          usage: answer.usage,
          costUsd: 0,
          cached: true,
          durationMs: 0,
        },
      },
    ]);
    return { ok: true, response: answer.response, costUsd: 0, callId };
  }

  private async replay(requestSha256: string): Promise<{ response: ModelResponse; sha256: string } | undefined> {
    const sha256 = this.recordedResponses.get(requestSha256);
    if (sha256 === undefined) return undefined;
    const blob = await this.journal.getBlob(sha256);
    const response = blob === undefined ? undefined : parseResponseBlob(blob);
    return response === undefined ? undefined : { response, sha256 };
  }
}
