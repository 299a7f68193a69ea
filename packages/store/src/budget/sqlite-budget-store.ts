import type { DatabaseSync } from 'node:sqlite';
import type {
  BudgetAccountResult,
  BudgetAccountSpec,
  BudgetAccountState,
  BudgetHold,
  BudgetHoldRequest,
  BudgetHoldResult,
  BudgetStore,
} from '@orchestrator/spec';
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
import { openBudgetDatabase, runImmediate } from './sqlite-budget-database.ts';

interface SqliteAccountRow {
  account_id: string;
  parent_id: string | null;
  cap_nano: number | bigint | null;
  max_tokens: number | bigint | null;
  is_partition: number | bigint;
  closed: number | bigint;
  settled_nano: number | bigint;
  reserved_nano: number | bigint;
  settled_tokens: number | bigint;
  reserved_tokens: number | bigint;
}

interface SqliteHoldRow {
  reservation_id: string;
  account_id: string;
  run_id: string;
  amount_nano: number | bigint;
  tokens: number | bigint;
  max_output_tokens: number | bigint;
  status: 'open' | 'settled' | 'released';
  settled_nano: number | bigint | null;
}

const nullableNumber = (value: number | bigint | null) => (value === null ? null : Number(value));

function accountFromRow(row: SqliteAccountRow): AccountRow {
  return {
    accountId: row.account_id,
    parentId: row.parent_id,
    capNano: nullableNumber(row.cap_nano),
    maxTokens: nullableNumber(row.max_tokens),
    partition: Number(row.is_partition) === 1,
    closed: Number(row.closed) === 1,
    settledNano: Number(row.settled_nano),
    reservedNano: Number(row.reserved_nano),
    settledTokens: Number(row.settled_tokens),
    reservedTokens: Number(row.reserved_tokens),
  };
}

function holdFromRow(row: SqliteHoldRow): BudgetHold {
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

/**
 * The budget store on SQLite. Every operation is one `BEGIN IMMEDIATE` transaction: the write lock is taken before the
 * remaining budget is read, so reservers in this process (synchronous calls) and in other processes (the file lock)
 * check and write one after the other.
 */
export class SqliteBudgetStore implements BudgetStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: DatabaseSync;

  private constructor(database: DatabaseSync) {
    this.#database = database;
  }

  /** Opens (creating and migrating) the budget tables in a SQLite file; pass the journal's file to share it. */
  static open(filePath: string): SqliteBudgetStore {
    return new SqliteBudgetStore(openBudgetDatabase(filePath));
  }

  async openAccount(spec: BudgetAccountSpec): Promise<BudgetAccountResult> {
    return runImmediate(this.#database, () => {
      if (this.#account(spec.accountId) !== undefined) return { ok: true };
      const capNano = spec.capUsd === undefined ? null : nanoDown(spec.capUsd);
      if (spec.parentId !== undefined && this.#account(spec.parentId) === undefined) {
        throw budgetAccountMissingError(spec.parentId);
      }
      if (spec.partition === true) {
        if (spec.parentId === undefined || capNano === null) {
          return { ok: false, detail: 'A partition needs a parent account and a USD cap to carve from it.' };
        }
        const chain = accountChain(spec.parentId, (id) => this.#account(id));
        const short = chain.find((row) => (remainingNano(row) ?? Number.POSITIVE_INFINITY) < capNano || row.closed);
        if (short !== undefined) {
          return {
            ok: false,
            detail: `Account ${short.accountId} has $${usdOf(remainingNano(short) ?? 0)} left, less than the partition's $${usdOf(capNano)}.`,
          };
        }
        for (const row of chain) this.#adjust(row.accountId, { reservedNano: capNano });
      }
      this.#database
        .prepare(
          `INSERT INTO budget_accounts (account_id, parent_id, cap_nano, max_tokens, is_partition, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          spec.accountId,
          spec.parentId ?? null,
          capNano,
          spec.maxTokens ?? null,
          spec.partition === true ? 1 : 0,
          new Date().toISOString(),
        );
      return { ok: true };
    });
  }

  async getAccount(accountId: string): Promise<BudgetAccountState | undefined> {
    const row = this.#account(accountId);
    return row === undefined ? undefined : stateOf(row);
  }

  async setCap(accountId: string, capUsd: number | undefined): Promise<BudgetAccountResult> {
    return runImmediate(this.#database, () => {
      const row = this.#account(accountId);
      if (row === undefined) throw budgetAccountMissingError(accountId);
      if (row.partition) return { ok: false, detail: 'A partition keeps the cap it was carved with.' };
      this.#database
        .prepare('UPDATE budget_accounts SET cap_nano = ? WHERE account_id = ?')
        .run(capUsd === undefined ? null : nanoDown(capUsd), accountId);
      return { ok: true };
    });
  }

  async hold(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    return runImmediate(this.#database, () => {
      const existing = this.#hold(request.reservationId);
      if (existing !== undefined) return { ok: true, hold: existing };
      if (this.#account(request.accountId) === undefined) throw budgetAccountMissingError(request.accountId);
      const chain = accountChain(request.accountId, (id) => this.#account(id));
      const decision = computeGrant(chain, request);
      if (!decision.ok) return decision;
      const { grant } = decision;
      for (const row of chain) {
        this.#adjust(row.accountId, { reservedNano: grant.amountNano, reservedTokens: grant.tokens });
      }
      this.#database
        .prepare(
          `INSERT INTO budget_reservations
             (reservation_id, account_id, run_id, amount_nano, tokens, max_output_tokens, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
        )
        .run(
          request.reservationId,
          request.accountId,
          request.runId,
          grant.amountNano,
          grant.tokens,
          grant.maxOutputTokens,
          new Date().toISOString(),
        );
      const hold = this.#hold(request.reservationId);
      if (hold === undefined) throw new Error('unreachable: the hold was just inserted');
      return { ok: true, hold };
    });
  }

  async settle(reservationId: string, actualUsd: number, actualTokens: number): Promise<boolean> {
    return runImmediate(this.#database, () => this.#end(reservationId, { actualUsd, actualTokens }));
  }

  async release(reservationId: string): Promise<boolean> {
    return runImmediate(this.#database, () => this.#end(reservationId, undefined));
  }

  async openHolds(runId: string): Promise<BudgetHold[]> {
    const rows = this.#database
      .prepare(
        `SELECT * FROM budget_reservations WHERE run_id = ? AND status = 'open' ORDER BY created_at, reservation_id`,
      )
      .all(runId) as unknown as SqliteHoldRow[];
    return rows.map(holdFromRow);
  }

  async closePartition(accountId: string): Promise<BudgetAccountResult> {
    return runImmediate(this.#database, () => {
      const partition = this.#account(accountId);
      if (partition === undefined) throw budgetAccountMissingError(accountId);
      if (!partition.partition || partition.parentId === null) {
        return { ok: false, detail: `${accountId} is not a partition.` };
      }
      if (partition.closed) return { ok: true };
      if (partition.reservedNano > 0) {
        return { ok: false, detail: `${accountId} still has calls in flight; settle or release them first.` };
      }
      for (const row of accountChain(partition.parentId, (id) => this.#account(id))) {
        this.#adjust(row.accountId, {
          reservedNano: -(partition.capNano ?? 0),
          settledNano: partition.settledNano,
          settledTokens: partition.settledTokens,
        });
      }
      this.#database.prepare('UPDATE budget_accounts SET closed = 1 WHERE account_id = ?').run(accountId);
      return { ok: true };
    });
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }

  #end(reservationId: string, actual: { actualUsd: number; actualTokens: number } | undefined): boolean {
    const row = this.#database
      .prepare('SELECT * FROM budget_reservations WHERE reservation_id = ?')
      .get(reservationId) as unknown as SqliteHoldRow | undefined;
    if (row === undefined || row.status !== 'open') return false;
    const amountNano = Number(row.amount_nano);
    const tokens = Number(row.tokens);
    // A call never costs more than its hold: the hold is its worst case.
    const settledNano = actual === undefined ? 0 : Math.min(amountNano, nanoUp(Math.max(0, actual.actualUsd)));
    const settledTokens = actual === undefined ? 0 : Math.min(tokens, Math.max(0, Math.ceil(actual.actualTokens)));
    for (const account of accountChain(row.account_id, (id) => this.#account(id))) {
      this.#adjust(account.accountId, {
        reservedNano: -amountNano,
        reservedTokens: -tokens,
        settledNano,
        settledTokens,
      });
    }
    this.#database
      .prepare('UPDATE budget_reservations SET status = ?, settled_nano = ?, ended_at = ? WHERE reservation_id = ?')
      .run(actual === undefined ? 'released' : 'settled', settledNano, new Date().toISOString(), reservationId);
    return true;
  }

  #adjust(
    accountId: string,
    change: { reservedNano?: number; reservedTokens?: number; settledNano?: number; settledTokens?: number },
  ): void {
    this.#database
      .prepare(
        `UPDATE budget_accounts SET reserved_nano = reserved_nano + ?, reserved_tokens = reserved_tokens + ?,
           settled_nano = settled_nano + ?, settled_tokens = settled_tokens + ? WHERE account_id = ?`,
      )
      .run(
        change.reservedNano ?? 0,
        change.reservedTokens ?? 0,
        change.settledNano ?? 0,
        change.settledTokens ?? 0,
        accountId,
      );
  }

  #account(accountId: string): AccountRow | undefined {
    const row = this.#database.prepare('SELECT * FROM budget_accounts WHERE account_id = ?').get(accountId) as
      | SqliteAccountRow
      | undefined;
    return row === undefined ? undefined : accountFromRow(row);
  }

  #hold(reservationId: string): BudgetHold | undefined {
    const row = this.#database
      .prepare('SELECT * FROM budget_reservations WHERE reservation_id = ?')
      .get(reservationId) as unknown as SqliteHoldRow | undefined;
    return row === undefined ? undefined : holdFromRow(row);
  }
}
