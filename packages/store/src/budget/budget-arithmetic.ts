import type { BudgetAccountState, BudgetHoldRequest, BudgetHoldResult } from '@orchestrator/spec';

/** Nano-dollars per dollar: amounts are stored as integers so sums never drift. */
export const nanoPerUsd = 1_000_000_000;

/** USD → nano-dollars, rounded up (holds and settlements never round in the spender's favour). */
export function nanoUp(usd: number): number {
  return Math.ceil(usd * nanoPerUsd - 1e-6);
}

/** USD → nano-dollars, rounded down (caps never grow by rounding). */
export function nanoDown(usd: number): number {
  return Math.floor(usd * nanoPerUsd + 1e-6);
}

export function usdOf(nano: number): number {
  return nano / nanoPerUsd;
}

/** One account row as both stores keep it (amounts in nano-dollars). */
export interface AccountRow {
  accountId: string;
  parentId: string | null;
  capNano: number | null;
  maxTokens: number | null;
  partition: boolean;
  closed: boolean;
  settledNano: number;
  reservedNano: number;
  settledTokens: number;
  reservedTokens: number;
}

export function stateOf(row: AccountRow): BudgetAccountState {
  return {
    accountId: row.accountId,
    parentId: row.parentId ?? undefined,
    capUsd: row.capNano === null ? undefined : usdOf(row.capNano),
    maxTokens: row.maxTokens ?? undefined,
    partition: row.partition,
    closed: row.closed,
    settledUsd: usdOf(row.settledNano),
    reservedUsd: usdOf(row.reservedNano),
    settledTokens: row.settledTokens,
    reservedTokens: row.reservedTokens,
  };
}

/** Nano-dollars an account can still hold, or undefined when it has no cap. */
export function remainingNano(row: AccountRow): number | undefined {
  return row.capNano === null ? undefined : Math.max(0, row.capNano - row.settledNano - row.reservedNano);
}

export function remainingTokens(row: AccountRow): number | undefined {
  return row.maxTokens === null ? undefined : Math.max(0, row.maxTokens - row.settledTokens - row.reservedTokens);
}

/** What a granted hold takes from every account of the chain. */
export interface Grant {
  amountNano: number;
  tokens: number;
  maxOutputTokens: number;
}

/**
 * The largest hold that fits every account of the chain (the charged account first, then its ancestors up to the
 * nearest partition): the output cap is clamped to what fits, and the hold refused below `minOutputTokens`.
 */
export function computeGrant(
  chain: readonly AccountRow[],
  request: BudgetHoldRequest,
): { ok: true; grant: Grant } | Extract<BudgetHoldResult, { ok: false }> {
  const fixedNano = nanoUp(request.fixedUsd);
  const perTokenNano = request.outputUsdPerToken * nanoPerUsd;
  const floor = Math.min(request.minOutputTokens, request.maxOutputTokens);
  const amountFor = (outputTokens: number) => fixedNano + Math.ceil(perTokenNano * outputTokens - 1e-9);
  let granted = request.maxOutputTokens;
  let limiting: AccountRow | undefined;
  for (const row of chain) {
    if (row.closed) return refusal(row);
    const usdLeft = remainingNano(row);
    const tokensLeft = remainingTokens(row);
    let fits = granted;
    if (usdLeft !== undefined) {
      if (usdLeft < fixedNano) fits = -1;
      else if (perTokenNano > 0) fits = Math.min(fits, Math.floor((usdLeft - fixedNano) / perTokenNano));
      // Rounding up the hold may overshoot by a nano-dollar: step back until it fits.
      while (fits >= 0 && amountFor(fits) > usdLeft) fits -= 1;
    }
    if (tokensLeft !== undefined) fits = Math.min(fits, tokensLeft - request.inputTokens);
    if (fits < granted) {
      granted = fits;
      limiting = row;
    }
  }
  if (granted < floor || granted < 0) return refusal(limiting ?? chain[0]);
  return {
    ok: true,
    grant: { amountNano: amountFor(granted), tokens: request.inputTokens + granted, maxOutputTokens: granted },
  };
}

function refusal(row: AccountRow | undefined): Extract<BudgetHoldResult, { ok: false }> {
  if (row === undefined) return { ok: false, limitingAccountId: '', remainingUsd: 0, remainingTokens: undefined };
  const usdLeft = remainingNano(row);
  return {
    ok: false,
    limitingAccountId: row.accountId,
    remainingUsd: row.closed ? 0 : usdLeft === undefined ? undefined : usdOf(usdLeft),
    remainingTokens: remainingTokens(row),
  };
}

/** Walks from an account up through its parents, stopping after the first partition (its own budget boundary). */
export function accountChain(accountId: string, lookup: (id: string) => AccountRow | undefined): AccountRow[] {
  const chain: AccountRow[] = [];
  const seen = new Set<string>();
  let current = lookup(accountId);
  while (current !== undefined && !seen.has(current.accountId)) {
    chain.push(current);
    seen.add(current.accountId);
    if (current.partition || current.parentId === null) break;
    current = lookup(current.parentId);
  }
  return chain;
}
