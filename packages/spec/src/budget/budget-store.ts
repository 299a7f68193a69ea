/** An account to open: the run, a subtask, a step, or a partition given to a parallel branch. */
export interface BudgetAccountSpec {
  /** Unique id, e.g. `run:<runId>`, `run:<runId>/subtask:2`. */
  accountId: string;
  /** The enclosing account; omitted for a run's root account. */
  parentId?: string;
  /** USD cap of this account; omitted means it is bounded only by its ancestors. */
  capUsd?: number;
  /** Ceiling on tokens (input + output) held and spent in this account; omitted means none. */
  maxTokens?: number;
  /**
   * A partition: its whole `capUsd` is carved out of the parent's remaining budget when it opens (refused when it does
   * not fit), and its own reservations check only the partition and its descendants. Closing it returns the unspent
   * part to the parent. Parallel branches each get one, so they cannot starve each other.
   */
  partition?: boolean;
}

/** An account's state. Amounts in USD; `remaining` is what a new reservation may take from this account alone. */
export interface BudgetAccountState {
  accountId: string;
  parentId: string | undefined;
  capUsd: number | undefined;
  maxTokens: number | undefined;
  partition: boolean;
  /** Closed partitions take no reservations. */
  closed: boolean;
  /** USD settled by calls (including orphans settled at their full reservation). */
  settledUsd: number;
  /** USD held by open reservations (and, on a parent, by the open partitions carved from it). */
  reservedUsd: number;
  settledTokens: number;
  reservedTokens: number;
}

/**
 * A hold to take atomically on an account and its ancestors. The store clamps the output cap to what fits: it grants
 * the largest `maxOutputTokens' ≤ maxOutputTokens` with `fixedUsd + maxOutputTokens' × outputUsdPerToken` within the
 * remaining USD and `inputTokens + maxOutputTokens'` within the remaining tokens of every account in the chain, and
 * refuses when that is below `minOutputTokens`.
 */
export interface BudgetHoldRequest {
  /** Unique id of the reservation (the model call id). */
  reservationId: string;
  /** The account charged (with its ancestors up to the nearest partition, included). */
  accountId: string;
  /** The run, so a resumed run can find the holds a crashed process left open. */
  runId: string;
  /** USD held whatever the output length: the input tokens at the dearer of input and cache-write price. */
  fixedUsd: number;
  /** USD per output token. */
  outputUsdPerToken: number;
  /** Input tokens of the call. */
  inputTokens: number;
  /** The call's requested output cap. */
  maxOutputTokens: number;
  /** The smallest output cap still worth calling with; below it the store refuses. */
  minOutputTokens: number;
}

/** A hold granted by the store. */
export interface BudgetHold {
  reservationId: string;
  accountId: string;
  runId: string;
  /** USD held (never less than the call's cost at `maxOutputTokens`). */
  amountUsd: number;
  /** Tokens held (input + granted output). */
  tokens: number;
  /** Granted output cap (≤ requested). */
  maxOutputTokens: number;
  status: 'open' | 'settled' | 'released';
  /** USD settled, once settled. */
  settledUsd: number | undefined;
}

/** Result of `hold`: a refusal is an expected outcome, with what was left. */
export type BudgetHoldResult =
  | { ok: true; hold: BudgetHold }
  | {
      ok: false;
      /** The account whose cap or token ceiling did not fit the call. */
      limitingAccountId: string;
      /** USD left in that account (never negative); undefined when only its token ceiling limited the call. */
      remainingUsd: number | undefined;
      /** Tokens left in that account, when it has a token ceiling. */
      remainingTokens: number | undefined;
    };

/** Result of opening a partition or raising a cap: refusals are results. */
export type BudgetAccountResult = { ok: true } | { ok: false; detail: string };

/**
 * The budget store port, version 1: nested accounts with USD caps and token ceilings, and holds that are taken
 * atomically across an account chain (one transaction), so concurrent reservers in one or many processes can never
 * together exceed a cap. Implemented on SQLite (`BEGIN IMMEDIATE`) and PostgreSQL (`SELECT … FOR UPDATE`).
 * Amounts are kept as integer nano-dollars: holds round up, so rounding never lets spend pass a cap.
 */
export interface BudgetStore {
  readonly specificationVersion: 'v1';
  /** Opens an account (idempotent: an existing account is left as it is). A partition that does not fit is refused. */
  openAccount(spec: BudgetAccountSpec): Promise<BudgetAccountResult>;
  /** An account's state, or undefined. */
  getAccount(accountId: string): Promise<BudgetAccountState | undefined>;
  /** Sets an account's cap (raising it to resume a run paused on budget; lowering never drops below what is used). */
  setCap(accountId: string, capUsd: number | undefined): Promise<BudgetAccountResult>;
  /** Takes a hold, clamping its output cap to what fits, or refuses. Idempotent per reservation id. */
  hold(request: BudgetHoldRequest): Promise<BudgetHoldResult>;
  /**
   * Settles an open hold at the real cost and tokens (both capped at the hold: a call never costs more than its
   * worst case). Returns false when the hold was not open (already settled or released).
   */
  settle(reservationId: string, actualUsd: number, actualTokens: number): Promise<boolean>;
  /** Releases an open hold without cost (the call failed before the provider billed it). False when not open. */
  release(reservationId: string): Promise<boolean>;
  /** The run's holds still open (left by a crashed process when the run is not live). */
  openHolds(runId: string): Promise<BudgetHold[]>;
  /** Closes a partition: its unspent part returns to the parent, its spend is charged to the parent chain. */
  closePartition(accountId: string): Promise<BudgetAccountResult>;
  close(): Promise<void>;
}
