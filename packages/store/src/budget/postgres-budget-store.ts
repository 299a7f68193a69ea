import type {
  BudgetAccountResult,
  BudgetAccountSpec,
  BudgetAccountState,
  BudgetHold,
  BudgetHoldRequest,
  BudgetHoldResult,
  BudgetStore,
} from '@orchestrator/spec';
import type pg from 'pg';
import {
  type AccountRow,
  accountChain,
  computeGrant,
  nanoDown,
  nanoUp,
  remainingNano,
  stateOf,
  usdOf,
} from './budget-arithmetic.ts';
import { budgetAccountMissingError } from './budget-store-errors.ts';
import { connectBudgetPool, type PostgresBudgetOptions, withTransaction } from './postgres-budget-database.ts';

interface PgAccountRow {
  account_id: string;
  parent_id: string | null;
  cap_nano: string | null;
  max_tokens: string | null;
  is_partition: boolean;
  closed: boolean;
  settled_nano: string;
  reserved_nano: string;
  settled_tokens: string;
  reserved_tokens: string;
}

interface PgHoldRow {
  reservation_id: string;
  account_id: string;
  run_id: string;
  amount_nano: string;
  tokens: string;
  max_output_tokens: string;
  status: 'open' | 'settled' | 'released';
  settled_nano: string | null;
}

function accountFromRow(row: PgAccountRow): AccountRow {
  return {
    accountId: row.account_id,
    parentId: row.parent_id,
    capNano: row.cap_nano === null ? null : Number(row.cap_nano),
    maxTokens: row.max_tokens === null ? null : Number(row.max_tokens),
    partition: row.is_partition,
    closed: row.closed,
    settledNano: Number(row.settled_nano),
    reservedNano: Number(row.reserved_nano),
    settledTokens: Number(row.settled_tokens),
    reservedTokens: Number(row.reserved_tokens),
  };
}

function holdFromRow(row: PgHoldRow): BudgetHold {
  return {
    reservationId: row.reservation_id,
    accountId: row.account_id,
    runId: row.run_id,
    amountUsd: usdOf(Number(row.amount_nano)),
    tokens: Number(row.tokens),
    maxOutputTokens: Number(row.max_output_tokens),
    status: row.status,
    settledUsd: row.settled_nano === null ? undefined : usdOf(Number(row.settled_nano)),
  };
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * The budget store on PostgreSQL. Each operation is one transaction that first locks the account chain with
 * `SELECT … FOR UPDATE` (in account-id order, so two transactions never deadlock), then checks and writes: concurrent
 * reservers in any number of processes queue on the locks instead of overspending.
 */
export class PostgresBudgetStore implements BudgetStore {
  readonly specificationVersion = 'v1' as const;
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects, creates the schema if missing and applies the budget migrations. */
  static async connect(connectionString: string, options: PostgresBudgetOptions = {}): Promise<PostgresBudgetStore> {
    return new PostgresBudgetStore(await connectBudgetPool(connectionString, options));
  }

  async openAccount(spec: BudgetAccountSpec): Promise<BudgetAccountResult> {
    return withTransaction(this.#pool, async (client): Promise<BudgetAccountResult> => {
      const capNano = spec.capUsd === undefined ? null : nanoDown(spec.capUsd);
      const chain = spec.parentId === undefined ? [] : await this.#lockChain(client, spec.parentId);
      if (spec.parentId !== undefined && chain.length === 0) throw budgetAccountMissingError(spec.parentId);
      const inserted = await client.query(
        `INSERT INTO budget_accounts (account_id, parent_id, cap_nano, max_tokens, is_partition)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING`,
        [spec.accountId, spec.parentId ?? null, capNano, spec.maxTokens ?? null, spec.partition === true],
      );
      if (inserted.rowCount === 0 || spec.partition !== true) return { ok: true };
      if (capNano === null || chain.length === 0) {
        throw new RollbackWith({ ok: false, detail: 'A partition needs a parent account and a USD cap.' });
      }
      const short = chain.find((row) => (remainingNano(row) ?? Number.POSITIVE_INFINITY) < capNano || row.closed);
      if (short !== undefined) {
        throw new RollbackWith({
          ok: false,
          detail: `Account ${short.accountId} has $${usdOf(remainingNano(short) ?? 0)} left, less than the partition's $${usdOf(capNano)}.`,
        });
      }
      for (const row of chain) await adjust(client, row.accountId, { reservedNano: capNano });
      return { ok: true };
    }).catch(unwrapRollback);
  }

  async getAccount(accountId: string): Promise<BudgetAccountState | undefined> {
    const result = await this.#pool.query<PgAccountRow>('SELECT * FROM budget_accounts WHERE account_id = $1', [
      accountId,
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : stateOf(accountFromRow(row));
  }

  async setCap(accountId: string, capUsd: number | undefined): Promise<BudgetAccountResult> {
    return withTransaction(this.#pool, async (client) => {
      const [row] = await this.#lockChain(client, accountId);
      if (row === undefined) throw budgetAccountMissingError(accountId);
      if (row.partition) return { ok: false, detail: 'A partition keeps the cap it was carved with.' };
      await client.query('UPDATE budget_accounts SET cap_nano = $1 WHERE account_id = $2', [
        capUsd === undefined ? null : nanoDown(capUsd),
        accountId,
      ]);
      return { ok: true };
    });
  }

  async hold(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    return withTransaction(this.#pool, async (client) => {
      const chain = await this.#lockChain(client, request.accountId);
      if (chain.length === 0) throw budgetAccountMissingError(request.accountId);
      const existing = await selectHold(client, request.reservationId);
      if (existing !== undefined) return { ok: true, hold: existing };
      const decision = computeGrant(chain, request);
      if (!decision.ok) return decision;
      const { grant } = decision;
      for (const row of chain) {
        await adjust(client, row.accountId, { reservedNano: grant.amountNano, reservedTokens: grant.tokens });
      }
      const inserted = await client.query<PgHoldRow>(
        `INSERT INTO budget_reservations
           (reservation_id, account_id, run_id, amount_nano, tokens, max_output_tokens, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'open') RETURNING *`,
        [
          request.reservationId,
          request.accountId,
          request.runId,
          grant.amountNano,
          grant.tokens,
          grant.maxOutputTokens,
        ],
      );
      const row = inserted.rows[0];
      if (row === undefined) throw new Error('unreachable: INSERT … RETURNING returned no row');
      return { ok: true, hold: holdFromRow(row) };
    });
  }

  async settle(reservationId: string, actualUsd: number, actualTokens: number): Promise<boolean> {
    return this.#end(reservationId, { actualUsd, actualTokens });
  }

  async release(reservationId: string): Promise<boolean> {
    return this.#end(reservationId, undefined);
  }

  async openHolds(runId: string): Promise<BudgetHold[]> {
    const result = await this.#pool.query<PgHoldRow>(
      `SELECT * FROM budget_reservations WHERE run_id = $1 AND status = 'open' ORDER BY created_at, reservation_id`,
      [runId],
    );
    return result.rows.map(holdFromRow);
  }

  async closePartition(accountId: string): Promise<BudgetAccountResult> {
    return withTransaction(this.#pool, async (client) => {
      const partitionRow = await this.#account(client, accountId);
      if (partitionRow === undefined) throw budgetAccountMissingError(accountId);
      if (!partitionRow.partition || partitionRow.parentId === null) {
        return { ok: false, detail: `${accountId} is not a partition.` };
      }
      const parentChain = await this.#lockChain(client, partitionRow.parentId, [accountId]);
      const partition = await this.#account(client, accountId);
      if (partition === undefined || partition.closed) return { ok: true };
      if (partition.reservedNano > 0) {
        return { ok: false, detail: `${accountId} still has calls in flight; settle or release them first.` };
      }
      for (const row of parentChain) {
        await adjust(client, row.accountId, {
          reservedNano: -(partition.capNano ?? 0),
          settledNano: partition.settledNano,
          settledTokens: partition.settledTokens,
        });
      }
      await client.query('UPDATE budget_accounts SET closed = TRUE WHERE account_id = $1', [accountId]);
      return { ok: true };
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #end(reservationId: string, actual: { actualUsd: number; actualTokens: number } | undefined): Promise<boolean> {
    return withTransaction(this.#pool, async (client) => {
      const unlocked = await selectHold(client, reservationId);
      if (unlocked === undefined || unlocked.status !== 'open') return false;
      // Lock order: accounts first (as `hold` does), then the reservation row.
      const chain = await this.#lockChain(client, unlocked.accountId);
      const locked = await client.query<PgHoldRow>(
        'SELECT * FROM budget_reservations WHERE reservation_id = $1 FOR UPDATE',
        [reservationId],
      );
      const row = locked.rows[0];
      if (row === undefined || row.status !== 'open') return false;
      const amountNano = Number(row.amount_nano);
      const tokens = Number(row.tokens);
      const settledNano = actual === undefined ? 0 : Math.min(amountNano, nanoUp(Math.max(0, actual.actualUsd)));
      const settledTokens = actual === undefined ? 0 : Math.min(tokens, Math.max(0, Math.ceil(actual.actualTokens)));
      for (const account of chain) {
        await adjust(client, account.accountId, {
          reservedNano: -amountNano,
          reservedTokens: -tokens,
          settledNano,
          settledTokens,
        });
      }
      await client.query(
        'UPDATE budget_reservations SET status = $1, settled_nano = $2, ended_at = now() WHERE reservation_id = $3',
        [actual === undefined ? 'released' : 'settled', settledNano, reservationId],
      );
      return true;
    });
  }

  async #account(client: Queryable, accountId: string): Promise<AccountRow | undefined> {
    const result = await client.query<PgAccountRow>('SELECT * FROM budget_accounts WHERE account_id = $1', [accountId]);
    const row = result.rows[0];
    return row === undefined ? undefined : accountFromRow(row);
  }

  /**
   * Locks the chain from `accountId` up to its nearest partition (plus `alsoLock`) in account-id order and returns
   * the chain's fresh rows, charged account first. Parents never change, so the chain read before locking is exact.
   */
  async #lockChain(client: Queryable, accountId: string, alsoLock: readonly string[] = []): Promise<AccountRow[]> {
    const unlocked = new Map<string, AccountRow>();
    let current = await this.#account(client, accountId);
    while (current !== undefined && !unlocked.has(current.accountId)) {
      unlocked.set(current.accountId, current);
      if (current.partition || current.parentId === null) break;
      current = await this.#account(client, current.parentId);
    }
    if (unlocked.size === 0) return [];
    const result = await client.query<PgAccountRow>(
      'SELECT * FROM budget_accounts WHERE account_id = ANY($1::text[]) ORDER BY account_id FOR UPDATE',
      [[...unlocked.keys(), ...alsoLock]],
    );
    const fresh = new Map(result.rows.map((row) => [row.account_id, accountFromRow(row)]));
    return accountChain(accountId, (id) => fresh.get(id));
  }
}

async function selectHold(client: Queryable, reservationId: string): Promise<BudgetHold | undefined> {
  const result = await client.query<PgHoldRow>('SELECT * FROM budget_reservations WHERE reservation_id = $1', [
    reservationId,
  ]);
  const row = result.rows[0];
  return row === undefined ? undefined : holdFromRow(row);
}

async function adjust(
  client: Queryable,
  accountId: string,
  change: { reservedNano?: number; reservedTokens?: number; settledNano?: number; settledTokens?: number },
): Promise<void> {
  await client.query(
    `UPDATE budget_accounts SET reserved_nano = reserved_nano + $1, reserved_tokens = reserved_tokens + $2,
       settled_nano = settled_nano + $3, settled_tokens = settled_tokens + $4 WHERE account_id = $5`,
    [
      change.reservedNano ?? 0,
      change.reservedTokens ?? 0,
      change.settledNano ?? 0,
      change.settledTokens ?? 0,
      accountId,
    ],
  );
}

/** Carries a refusal out of a transaction that must roll back (the inserted partition row). */
class RollbackWith extends Error {
  readonly result: BudgetAccountResult;
  constructor(result: BudgetAccountResult) {
    super('rollback');
    this.result = result;
  }
}

function unwrapRollback(error: unknown): BudgetAccountResult {
  if (error instanceof RollbackWith) return error.result;
  throw error;
}
