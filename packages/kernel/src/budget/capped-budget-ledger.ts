import { randomBytes } from 'node:crypto';
import { type BudgetAccountSpec, type BudgetStore, SystemError, UserError } from '@orchestrator/spec';
import type {
  BudgetLedger,
  BudgetReservation,
  BudgetReservationRequest,
  BudgetReserveResult,
} from '../model/budget-ledger.ts';
import type { PricingHook } from '../model/pricing-hook.ts';

/** Below this output cap a call is not worth making: the ledger refuses instead of clamping further. */
export const defaultMinOutputTokens = 256;

/** Failure kinds after which the provider surely did not bill (the request was rejected before generation). */
const unbilledFailureKinds: ReadonlySet<string> = new Set([
  'rate-limited',
  'overloaded',
  'context-overflow',
  'invalid-request',
  'auth',
]);

/** True when a failed call may still have been billed (cut stream, timeout, network, unknown): settle it in full. */
export function failureMayHaveBilled(kind: string): boolean {
  return !unbilledFailureKinds.has(kind);
}

export interface CappedBudgetLedgerOptions {
  store: BudgetStore;
  pricing: PricingHook;
  /** Cap of a run account the ledger opens on a run's first reservation (`--max-usd`, `MAX_USD`); none when omitted. */
  runCapUsd?: number;
  /** Token ceiling (input + output) of a run account the ledger opens. */
  runMaxTokens?: number;
  /** Parent of the run accounts (e.g. a feature account with its own cap or token ceiling). */
  runParentId?: string;
  /** Token ceiling (input + output, repairs included) of each step; opens a step account under the run account. */
  stepMaxTokens?: number;
  /** USD cap of each step (a step account under the run account). */
  stepMaxUsd?: number;
  /** The step of a call; by default the call id without its `-call-<n>` suffix (the kernel's `<stepId>-call-<n>`). */
  stepIdOf?: (request: BudgetReservationRequest) => string;
  /** The account a call is charged to (overrides the run and step accounts), e.g. a parallel branch's partition. */
  accountFor?: (request: BudgetReservationRequest) => string;
  /**
   * Each role's share of a capped run's budget (`defaultRoleBudgetShares`, which `plan --dry-run` prints): a role's
   * calls are charged to its own account under the run's, capped at its share of the run cap, so a role that spent its
   * share pauses the run while the others keep theirs. Roles not listed, and uncapped runs, spend from the run account.
   */
  roleShares?: Readonly<Record<string, number>>;
  /** Smallest useful output cap; 256 by default. */
  minOutputTokens?: number;
}

/** Outcome of `settleOrphans`. */
export interface OrphanSettlement {
  /** Reservations settled at their full amount. */
  settled: number;
  /** USD they were settled at. */
  settledUsd: number;
}

function unpricedError(request: BudgetReservationRequest): UserError {
  return new UserError({
    code: 'model-unpriced',
    message: `No price is known for ${request.provider}/${request.model}, so the budget cap cannot be enforced for it.`,
    hint: `Add a price for it (provider "${request.provider}", model "${request.model}", USD per million input, output, cache-write and cache-read tokens) to the price table, or run without --max-usd / MAX_USD.`,
    details: { provider: request.provider, model: request.model, role: request.role },
  });
}

/**
 * A ledger that can never overshoot its caps: before each call it holds the worst case (input tokens at the dearer of
 * input and cache-write price, plus the output cap at the output price) in the `BudgetStore`, atomically across the
 * charged account and its ancestors; when that does not fit it clamps the output cap to what fits (not below
 * `minOutputTokens`) or refuses. After the call it settles the real cost (at most the hold). A call whose outcome is
 * unknown settles at its full hold; `settleOrphans` does that for holds a crashed process left open.
 */
export class CappedBudgetLedger implements BudgetLedger {
  readonly #store: BudgetStore;
  readonly #pricing: PricingHook;
  readonly #options: CappedBudgetLedgerOptions;
  readonly #minOutputTokens: number;
  readonly #openedRuns = new Set<string>();

  constructor(options: CappedBudgetLedgerOptions) {
    this.#store = options.store;
    this.#pricing = options.pricing;
    this.#options = options;
    this.#minOutputTokens = options.minOutputTokens ?? defaultMinOutputTokens;
  }

  /** The id of a run's root account. */
  static runAccountId(runId: string): string {
    return `run:${runId}`;
  }

  /** The id of a role's account in a run (its share of the run cap). */
  static roleAccountId(runId: string, role: string): string {
    return `run:${runId}/role:${role}`;
  }

  /** The id of a step's account. */
  static stepAccountId(runId: string, stepId: string): string {
    return `run:${runId}/step:${stepId}`;
  }

  /** Opens a run's account (idempotent; an existing account keeps its cap: raise it with `raiseCap`). */
  async openRun(runId: string): Promise<void> {
    if (this.#openedRuns.has(runId)) return;
    const { runCapUsd, runMaxTokens, runParentId } = this.#options;
    const opened = await this.#store.openAccount({
      accountId: CappedBudgetLedger.runAccountId(runId),
      ...(runParentId === undefined ? {} : { parentId: runParentId }),
      ...(runCapUsd === undefined ? {} : { capUsd: runCapUsd }),
      ...(runMaxTokens === undefined ? {} : { maxTokens: runMaxTokens }),
    });
    if (!opened.ok) {
      throw new SystemError({ code: 'budget-account-refused', message: opened.detail, details: { runId } });
    }
    this.#openedRuns.add(runId);
  }

  /** Opens a nested account (subtask, step, feature) or a partition carved from its parent's remaining budget. */
  async openAccount(spec: BudgetAccountSpec): Promise<{ ok: true } | { ok: false; detail: string }> {
    return this.#store.openAccount(spec);
  }

  /** Closes a partition, returning its unspent part to the parent. */
  async closePartition(accountId: string): Promise<{ ok: true } | { ok: false; detail: string }> {
    return this.#store.closePartition(accountId);
  }

  /** Sets an account's cap, e.g. `orchestrator resume <id> --max-usd <more>` raises the run's. */
  async raiseCap(accountId: string, capUsd: number): Promise<void> {
    const result = await this.#store.setCap(accountId, capUsd);
    if (!result.ok) throw new UserError({ code: 'budget-cap-refused', message: result.detail });
  }

  async reserve(request: BudgetReservationRequest): Promise<BudgetReserveResult> {
    await this.openRun(request.runId);
    const accountId = this.#options.accountFor?.(request) ?? (await this.#stepAccount(request));
    const fixedUsd = this.#pricing.worstCaseUsd({
      provider: request.provider,
      model: request.model,
      inputTokens: request.inputTokens,
      maxOutputTokens: 0,
    });
    if (request.worstCaseUsd === undefined || fixedUsd === undefined) {
      if (await this.#capped(accountId)) throw unpricedError(request);
    }
    const worstCaseUsd = request.worstCaseUsd ?? 0;
    const inputUsd = Math.min(fixedUsd ?? 0, worstCaseUsd);
    const outputUsdPerToken =
      request.maxOutputTokens > 0 ? Math.max(0, worstCaseUsd - inputUsd) / request.maxOutputTokens : 0;
    // A fresh id per reservation: a call re-issued after a crash (same call id) must not reuse the settled orphan's hold.
    const result = await this.#store.hold({
      reservationId: `${request.callId}#${randomBytes(4).toString('hex')}`,
      accountId,
      runId: request.runId,
      fixedUsd: inputUsd,
      outputUsdPerToken,
      inputTokens: request.inputTokens,
      maxOutputTokens: request.maxOutputTokens,
      minOutputTokens: this.#minOutputTokens,
    });
    if (result.ok) {
      const { hold } = result;
      return {
        ok: true,
        reservation: { id: hold.reservationId, reservedUsd: hold.amountUsd, maxOutputTokens: hold.maxOutputTokens },
      };
    }
    const floor = Math.min(this.#minOutputTokens, request.maxOutputTokens);
    const neededUsd = inputUsd + floor * outputUsdPerToken;
    const needs = `${request.inputTokens} input + ${floor} output tokens of ${request.model}`;
    if (result.limitingAccountId === CappedBudgetLedger.roleAccountId(request.runId, request.role)) {
      return { ok: false, reason: 'budget', detail: await this.#roleShareSpent(request, neededUsd, needs) };
    }
    if (result.remainingUsd === undefined || result.remainingUsd >= neededUsd) {
      return {
        ok: false,
        reason: 'budget',
        detail:
          `Token ceiling reached: ${result.limitingAccountId} has ${result.remainingTokens ?? 0} tokens left, but the ` +
          `${request.role}'s next call needs ${needs}. Raise the ceiling (budget.maxTokensPerStep) or shorten the ` +
          `context, then resume: orchestrator resume ${request.runId}.`,
      };
    }
    return {
      ok: false,
      reason: 'budget',
      detail:
        `Budget exhausted: ${result.limitingAccountId} has $${result.remainingUsd.toFixed(6)} left, but the ` +
        `${request.role}'s next call needs at least $${neededUsd.toFixed(6)} (${needs}). ` +
        `Resume with a higher cap: orchestrator resume ${request.runId} --max-usd <more>.`,
    };
  }

  /** Settles a call at its real cost (and, when known, its real tokens; the held tokens otherwise). */
  async settle(reservation: BudgetReservation, actualUsd: number, actualTokens?: number): Promise<void> {
    const tokens = actualTokens ?? Number.MAX_SAFE_INTEGER;
    await this.#store.settle(reservation.id, actualUsd, tokens);
  }

  async release(reservation: BudgetReservation): Promise<void> {
    await this.#store.release(reservation.id);
  }

  /** Settles a call whose outcome is unknown (cut stream, timeout, crash) at its full reservation. */
  async settleUnknown(reservation: BudgetReservation): Promise<void> {
    await this.#store.settle(reservation.id, reservation.reservedUsd, Number.MAX_SAFE_INTEGER);
  }

  /** On resume: settles at their full amount the holds a crashed process left open for this run. */
  async settleOrphans(runId: string): Promise<OrphanSettlement> {
    const holds = await this.#store.openHolds(runId);
    let settledUsd = 0;
    let settled = 0;
    for (const hold of holds) {
      if (await this.#store.settle(hold.reservationId, hold.amountUsd, hold.tokens)) {
        settled += 1;
        settledUsd += hold.amountUsd;
      }
    }
    return { settled, settledUsd };
  }

  /**
   * Before a run resumes: settles what a crashed process left open (at full amount), then raises the run's cap when a
   * new one is given (`orchestrator resume <id> --max-usd <more>`), and with it every role's share.
   */
  async prepareResume(runId: string, capUsd?: number): Promise<OrphanSettlement> {
    await this.openRun(runId);
    const orphans = await this.settleOrphans(runId);
    if (capUsd !== undefined) await this.raiseRunCap(runId, capUsd);
    return orphans;
  }

  /** Sets a run's cap and each role's share of it (the role accounts opened so far). */
  async raiseRunCap(runId: string, capUsd: number): Promise<void> {
    await this.raiseCap(CappedBudgetLedger.runAccountId(runId), capUsd);
    for (const [role, share] of Object.entries(this.#options.roleShares ?? {})) {
      const accountId = CappedBudgetLedger.roleAccountId(runId, role);
      if ((await this.#store.getAccount(accountId)) !== undefined) await this.raiseCap(accountId, capUsd * share);
    }
  }

  /** USD settled and held in a run's account. */
  async runSpend(runId: string): Promise<{ settledUsd: number; reservedUsd: number; capUsd: number | undefined }> {
    const account = await this.#store.getAccount(CappedBudgetLedger.runAccountId(runId));
    return {
      settledUsd: account?.settledUsd ?? 0,
      reservedUsd: account?.reservedUsd ?? 0,
      capUsd: account?.capUsd,
    };
  }

  /**
   * The account of the call's role (opened on first use, capped at its share of the run cap), or the run account when
   * the role has no share or the run no cap.
   */
  async #roleAccount(request: BudgetReservationRequest): Promise<string> {
    const runAccountId = CappedBudgetLedger.runAccountId(request.runId);
    const share = this.#options.roleShares?.[request.role];
    if (share === undefined) return runAccountId;
    const runCapUsd = (await this.#store.getAccount(runAccountId))?.capUsd;
    if (runCapUsd === undefined) return runAccountId;
    const accountId = CappedBudgetLedger.roleAccountId(request.runId, request.role);
    const opened = await this.#store.openAccount({ accountId, parentId: runAccountId, capUsd: runCapUsd * share });
    if (!opened.ok) {
      throw new SystemError({ code: 'budget-account-refused', message: opened.detail, details: { accountId } });
    }
    return accountId;
  }

  /** Why a role's call was refused when its share, not the run, is spent: names the role and how to go on. */
  async #roleShareSpent(request: BudgetReservationRequest, neededUsd: number, needs: string): Promise<string> {
    const share = this.#options.roleShares?.[request.role] ?? 0;
    const role = await this.#store.getAccount(CappedBudgetLedger.roleAccountId(request.runId, request.role));
    const run = await this.#store.getAccount(CappedBudgetLedger.runAccountId(request.runId));
    const usd = (value: number | undefined) => `$${(value ?? 0).toFixed(6)}`;
    const roleLeft = (role?.capUsd ?? 0) - (role?.settledUsd ?? 0) - (role?.reservedUsd ?? 0);
    const runUsed = (run?.settledUsd ?? 0) + (run?.reservedUsd ?? 0);
    return (
      `Budget exhausted for the ${request.role}: its share of the run budget (${Math.round(share * 100)}% of the ` +
      `${usd(run?.capUsd)} cap = ${usd(role?.capUsd)}) has ${usd(Math.max(0, roleLeft))} left, but its next call ` +
      `needs at least ${usd(neededUsd)} (${needs}); the run as a whole has used ${usd(runUsed)}. Resume with a higher ` +
      `cap (every role's share grows with it): orchestrator resume ${request.runId} --max-usd <more>.`
    );
  }

  /** The role account, or the call's step account under it (opened on first use) when steps have limits. */
  async #stepAccount(request: BudgetReservationRequest): Promise<string> {
    const parentId = await this.#roleAccount(request);
    const { stepMaxTokens, stepMaxUsd } = this.#options;
    if (stepMaxTokens === undefined && stepMaxUsd === undefined) return parentId;
    const stepId = this.#options.stepIdOf?.(request) ?? request.callId.replace(/-call-\d+$/, '');
    const accountId = CappedBudgetLedger.stepAccountId(request.runId, stepId);
    await this.#store.openAccount({
      accountId,
      parentId,
      ...(stepMaxTokens === undefined ? {} : { maxTokens: stepMaxTokens }),
      ...(stepMaxUsd === undefined ? {} : { capUsd: stepMaxUsd }),
    });
    return accountId;
  }

  /** True when the account or an ancestor (up to its partition) has a USD cap. */
  async #capped(accountId: string): Promise<boolean> {
    let current = await this.#store.getAccount(accountId);
    const seen = new Set<string>();
    while (current !== undefined && !seen.has(current.accountId)) {
      if (current.capUsd !== undefined) return true;
      seen.add(current.accountId);
      if (current.partition || current.parentId === undefined) return false;
      current = await this.#store.getAccount(current.parentId);
    }
    return false;
  }
}
