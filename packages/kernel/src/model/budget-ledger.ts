/** What the gateway asks the ledger to reserve before a model call. */
export interface BudgetReservationRequest {
  runId: string;
  /** The call's id (journal `callId`). */
  callId: string;
  role: string;
  provider: string;
  model: string;
  /** Input tokens the request will be billed for (counted before the call). */
  inputTokens: number;
  /** The call's output token cap; a capped ledger may clamp it. */
  maxOutputTokens: number;
  /** Worst-case USD of the call at `maxOutputTokens`, or undefined when the model is unpriced. */
  worstCaseUsd: number | undefined;
}

/** A granted reservation; settle or release it exactly once. */
export interface BudgetReservation {
  /** Id of the reservation (the call id). */
  id: string;
  /** USD held for the call. */
  reservedUsd: number;
  /** Output token cap the call may use (≤ the request's; clamped to fit the remaining budget). */
  maxOutputTokens: number;
}

/** Result of `reserve`: a refusal is an expected outcome (the run pauses with `budget`), not an exception. */
export type BudgetReserveResult =
  | { ok: true; reservation: BudgetReservation }
  | { ok: false; reason: 'budget'; detail: string };

/**
 * The budget ledger port: reserve the worst case before each model call, settle to the real cost after it, release it
 * when the call failed without cost. A call whose outcome is unknown (crash) settles at its full reservation.
 * The capped, nested implementation arrives with the budgets issue; the kernel calls it only from `ModelCallGateway`.
 */
export interface BudgetLedger {
  reserve(request: BudgetReservationRequest): Promise<BudgetReserveResult>;
  /**
   * Settles a reservation at the real cost. `actualTokens` (input + output, cache included) is passed when known.
   * The gateway also settles a failed call at its full reservation when the provider may have billed it (cut stream,
   * timeout, network error, unknown failure).
   */
  settle(reservation: BudgetReservation, actualUsd: number, actualTokens?: number): Promise<void>;
  /** Returns a reservation unused: the call failed before the provider could bill it (429, 529, 4xx, auth). */
  release(reservation: BudgetReservation): Promise<void>;
}

/** A ledger without a cap: grants every reservation and only keeps totals. */
export class NoCapBudgetLedger implements BudgetLedger {
  /** USD settled so far. */
  spentUsd = 0;
  /** USD currently reserved by calls in flight. */
  reservedUsd = 0;

  async reserve(request: BudgetReservationRequest): Promise<BudgetReserveResult> {
    const reservedUsd = request.worstCaseUsd ?? 0;
    this.reservedUsd += reservedUsd;
    return { ok: true, reservation: { id: request.callId, reservedUsd, maxOutputTokens: request.maxOutputTokens } };
  }

  async settle(reservation: BudgetReservation, actualUsd: number): Promise<void> {
    this.reservedUsd -= reservation.reservedUsd;
    this.spentUsd += actualUsd;
  }

  async release(reservation: BudgetReservation): Promise<void> {
    this.reservedUsd -= reservation.reservedUsd;
  }
}
