import type {
  BudgetAccountResult,
  BudgetAccountSpec,
  BudgetAccountState,
  BudgetHold,
  BudgetHoldRequest,
  BudgetHoldResult,
  BudgetStore,
} from '@orchestrator/spec';
import { type Kysely, type Selectable, sql } from 'kysely';
import {
  connectPostgresDatabase,
  openSqliteDatabase,
  type PostgresStoreOptions,
  type StoreDatabase,
} from '../database/store-database.ts';
import {
  type BudgetAccountsTable,
  type BudgetReservationsTable,
  flagOf,
  numberOrNull,
  type StoreSchema,
} from '../database/store-schema.ts';
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

type Database = Kysely<StoreSchema>;

function accountFromRow(row: Selectable<BudgetAccountsTable>): AccountRow {
  return {
    accountId: row.account_id,
    parentId: row.parent_id,
    capNano: numberOrNull(row.cap_nano),
    maxTokens: numberOrNull(row.max_tokens),
    partition: flagOf(row.is_partition),
    closed: flagOf(row.closed),
    settledNano: Number(row.settled_nano),
    reservedNano: Number(row.reserved_nano),
    settledTokens: Number(row.settled_tokens),
    reservedTokens: Number(row.reserved_tokens),
  };
}

function holdFromRow(row: Selectable<BudgetReservationsTable>): BudgetHold {
  const settledNano = numberOrNull(row.settled_nano);
  return {
    reservationId: row.reservation_id,
    accountId: row.account_id,
    runId: row.run_id,
    amountUsd: usdOf(Number(row.amount_nano)),
    tokens: Number(row.tokens),
    maxOutputTokens: Number(row.max_output_tokens),
    status: row.status,
    settledUsd: settledNano === null ? undefined : usdOf(settledNano),
  };
}

interface Change {
  reservedNano?: number;
  reservedTokens?: number;
  settledNano?: number;
  settledTokens?: number;
}

/**
 * The budget store, written once for SQLite and PostgreSQL. Every operation is one transaction that takes its locks
 * before it reads what is left: PostgreSQL locks the account chain with `SELECT … FOR UPDATE` in account-id order (so
 * two transactions never deadlock); SQLite's `BEGIN IMMEDIATE` takes the database write lock. Concurrent reservers in
 * any number of processes check and write one after the other instead of overspending.
 */
export class SqlBudgetStore implements BudgetStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: StoreDatabase;

  protected constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async openAccount(spec: BudgetAccountSpec): Promise<BudgetAccountResult> {
    return this.#transaction(async (db) => {
      const capNano = spec.capUsd === undefined ? null : nanoDown(spec.capUsd);
      const chain = spec.parentId === undefined ? [] : await this.#lockChain(db, spec.parentId);
      if ((await selectAccount(db, spec.accountId)) !== undefined) return { ok: true };
      if (spec.parentId !== undefined && chain.length === 0) throw budgetAccountMissingError(spec.parentId);
      if (spec.partition === true) {
        if (spec.parentId === undefined || capNano === null) {
          return { ok: false, detail: 'A partition needs a parent account and a USD cap to carve from it.' };
        }
        const short = chain.find((row) => (remainingNano(row) ?? Number.POSITIVE_INFINITY) < capNano || row.closed);
        if (short !== undefined) {
          return {
            ok: false,
            detail: `Account ${short.accountId} has $${usdOf(remainingNano(short) ?? 0)} left, less than the partition's $${usdOf(capNano)}.`,
          };
        }
      }
      const inserted = await db
        .insertInto('budget_accounts')
        .values({
          account_id: spec.accountId,
          parent_id: spec.parentId ?? null,
          cap_nano: capNano,
          max_tokens: spec.maxTokens ?? null,
          is_partition: spec.partition === true,
          created_at: new Date().toISOString(),
        })
        .onConflict((conflict) => conflict.column('account_id').doNothing())
        .returning('account_id')
        .executeTakeFirst();
      // Carve the partition's cap from its parents, once: a concurrent opener of the same partition inserts nothing.
      if (inserted !== undefined && spec.partition === true && capNano !== null) {
        for (const row of chain) await adjust(db, row.accountId, { reservedNano: capNano });
      }
      return { ok: true };
    });
  }

  async getAccount(accountId: string): Promise<BudgetAccountState | undefined> {
    await this.#database.ready;
    const row = await selectAccount(this.#database.db, accountId);
    return row === undefined ? undefined : stateOf(row);
  }

  async setCap(accountId: string, capUsd: number | undefined): Promise<BudgetAccountResult> {
    return this.#transaction(async (db) => {
      const [row] = await this.#lockChain(db, accountId);
      if (row === undefined) throw budgetAccountMissingError(accountId);
      if (row.partition) return { ok: false, detail: 'A partition keeps the cap it was carved with.' };
      await db
        .updateTable('budget_accounts')
        .set({ cap_nano: capUsd === undefined ? null : nanoDown(capUsd) })
        .where('account_id', '=', accountId)
        .execute();
      return { ok: true };
    });
  }

  async hold(request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    return this.#transaction(async (db): Promise<BudgetHoldResult> => {
      const chain = await this.#lockChain(db, request.accountId);
      if (chain.length === 0) throw budgetAccountMissingError(request.accountId);
      const existing = await selectHold(db, request.reservationId);
      if (existing !== undefined) return { ok: true, hold: holdFromRow(existing) };
      const decision = computeGrant(chain, request);
      if (!decision.ok) return decision;
      const { grant } = decision;
      for (const row of chain) {
        await adjust(db, row.accountId, { reservedNano: grant.amountNano, reservedTokens: grant.tokens });
      }
      const inserted = await db
        .insertInto('budget_reservations')
        .values({
          reservation_id: request.reservationId,
          account_id: request.accountId,
          run_id: request.runId,
          amount_nano: grant.amountNano,
          tokens: grant.tokens,
          max_output_tokens: grant.maxOutputTokens,
          status: 'open',
          created_at: new Date().toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ok: true, hold: holdFromRow(inserted) };
    });
  }

  async settle(reservationId: string, actualUsd: number, actualTokens: number): Promise<boolean> {
    return this.#end(reservationId, { actualUsd, actualTokens });
  }

  async release(reservationId: string): Promise<boolean> {
    return this.#end(reservationId, undefined);
  }

  async openHolds(runId: string): Promise<BudgetHold[]> {
    await this.#database.ready;
    const rows = await this.#database.db
      .selectFrom('budget_reservations')
      .selectAll()
      .where('run_id', '=', runId)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .orderBy('reservation_id')
      .execute();
    return rows.map(holdFromRow);
  }

  async closePartition(accountId: string): Promise<BudgetAccountResult> {
    return this.#transaction(async (db) => {
      const unlocked = await selectAccount(db, accountId);
      if (unlocked === undefined) throw budgetAccountMissingError(accountId);
      if (!unlocked.partition || unlocked.parentId === null) {
        return { ok: false, detail: `${accountId} is not a partition.` };
      }
      const parentChain = await this.#lockChain(db, unlocked.parentId, [accountId]);
      const partition = await selectAccount(db, accountId);
      if (partition === undefined || partition.closed) return { ok: true };
      if (partition.reservedNano > 0) {
        return { ok: false, detail: `${accountId} still has calls in flight; settle or release them first.` };
      }
      for (const row of parentChain) {
        await adjust(db, row.accountId, {
          reservedNano: -(partition.capNano ?? 0),
          settledNano: partition.settledNano,
          settledTokens: partition.settledTokens,
        });
      }
      await db.updateTable('budget_accounts').set({ closed: true }).where('account_id', '=', accountId).execute();
      return { ok: true };
    });
  }

  async close(): Promise<void> {
    await this.#database.close();
  }

  async #end(reservationId: string, actual: { actualUsd: number; actualTokens: number } | undefined): Promise<boolean> {
    return this.#transaction(async (db) => {
      const unlocked = await selectHold(db, reservationId);
      if (unlocked === undefined || unlocked.status !== 'open') return false;
      // Lock order: accounts first (as `hold` does), then the reservation row.
      const chain = await this.#lockChain(db, unlocked.account_id);
      const row = await db
        .selectFrom('budget_reservations')
        .selectAll()
        .where('reservation_id', '=', reservationId)
        .$if(this.#database.traits.rowLocks, (query) => query.forUpdate())
        .executeTakeFirst();
      if (row === undefined || row.status !== 'open') return false;
      const amountNano = Number(row.amount_nano);
      const tokens = Number(row.tokens);
      // A call never costs more than its hold: the hold is its worst case.
      const settledNano = actual === undefined ? 0 : Math.min(amountNano, nanoUp(Math.max(0, actual.actualUsd)));
      const settledTokens = actual === undefined ? 0 : Math.min(tokens, Math.max(0, Math.ceil(actual.actualTokens)));
      for (const account of chain) {
        await adjust(db, account.accountId, {
          reservedNano: -amountNano,
          reservedTokens: -tokens,
          settledNano,
          settledTokens,
        });
      }
      await db
        .updateTable('budget_reservations')
        .set({
          status: actual === undefined ? 'released' : 'settled',
          settled_nano: settledNano,
          ended_at: new Date().toISOString(),
        })
        .where('reservation_id', '=', reservationId)
        .execute();
      return true;
    });
  }

  /**
   * The chain from `accountId` up to its nearest partition, charged account first, locked for this transaction
   * (with `alsoLock`). PostgreSQL locks the rows in account-id order and reads them afresh; SQLite's transaction
   * already holds the write lock, so the rows it read are current. Parents never change: the chain read first is exact.
   */
  async #lockChain(db: Database, accountId: string, alsoLock: readonly string[] = []): Promise<AccountRow[]> {
    const unlocked = new Map<string, AccountRow>();
    let current = await selectAccount(db, accountId);
    while (current !== undefined && !unlocked.has(current.accountId)) {
      unlocked.set(current.accountId, current);
      if (current.partition || current.parentId === null) break;
      current = await selectAccount(db, current.parentId);
    }
    if (unlocked.size === 0) return [];
    if (!this.#database.traits.rowLocks) return accountChain(accountId, (id) => unlocked.get(id));
    const rows = await db
      .selectFrom('budget_accounts')
      .selectAll()
      .where('account_id', 'in', [...unlocked.keys(), ...alsoLock])
      .orderBy('account_id')
      .forUpdate()
      .execute();
    const fresh = new Map(rows.map((row) => [row.account_id, accountFromRow(row)]));
    return accountChain(accountId, (id) => fresh.get(id));
  }

  async #transaction<Result>(work: (db: Database) => Promise<Result>): Promise<Result> {
    await this.#database.ready;
    return this.#database.db.transaction().execute(work);
  }
}

async function selectAccount(db: Database, accountId: string): Promise<AccountRow | undefined> {
  const row = await db.selectFrom('budget_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  return row === undefined ? undefined : accountFromRow(row);
}

function selectHold(db: Database, reservationId: string): Promise<Selectable<BudgetReservationsTable> | undefined> {
  return db
    .selectFrom('budget_reservations')
    .selectAll()
    .where('reservation_id', '=', reservationId)
    .executeTakeFirst();
}

async function adjust(db: Database, accountId: string, change: Change): Promise<void> {
  await db
    .updateTable('budget_accounts')
    .set({
      reserved_nano: sql<number>`reserved_nano + ${change.reservedNano ?? 0}`,
      reserved_tokens: sql<number>`reserved_tokens + ${change.reservedTokens ?? 0}`,
      settled_nano: sql<number>`settled_nano + ${change.settledNano ?? 0}`,
      settled_tokens: sql<number>`settled_tokens + ${change.settledTokens ?? 0}`,
    })
    .where('account_id', '=', accountId)
    .execute();
}

/** The budget tables in a SQLite file; pass the journal's file to share it (WAL). */
export class SqliteBudgetStore extends SqlBudgetStore {
  /** Opens (creating and migrating) the budget tables in a SQLite file. */
  static open(filePath: string): SqliteBudgetStore {
    return new SqliteBudgetStore(openSqliteDatabase(filePath));
  }
}

/** The budget tables on PostgreSQL, shared by every process and worker using the database. */
export class PostgresBudgetStore extends SqlBudgetStore {
  /** Connects, creates the schema if missing and applies the pending migrations. */
  static async connect(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresBudgetStore> {
    return new PostgresBudgetStore(await connectPostgresDatabase(connectionString, options));
  }
}
