/**
 * The budget, response-cache and project-memory tables, with their own migration list and version table
 * (`budget_schema_migrations`), separate from the journal's. Each SQL statement is idempotent (`IF NOT EXISTS`).
 * Never edit a published migration: add one.
 */
export interface BudgetMigration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Table holding the applied budget migrations. */
export const budgetMigrationTable = 'budget_schema_migrations';

export const budgetMigrations: readonly BudgetMigration[] = [
  {
    version: 1,
    name: 'budget-accounts-reservations-response-cache-project-notes',
    sqlite: `
      CREATE TABLE IF NOT EXISTS budget_accounts (
        account_id TEXT PRIMARY KEY,
        parent_id TEXT REFERENCES budget_accounts(account_id),
        cap_nano INTEGER,
        max_tokens INTEGER,
        is_partition INTEGER NOT NULL DEFAULT 0,
        closed INTEGER NOT NULL DEFAULT 0,
        settled_nano INTEGER NOT NULL DEFAULT 0 CHECK (settled_nano >= 0),
        reserved_nano INTEGER NOT NULL DEFAULT 0 CHECK (reserved_nano >= 0),
        settled_tokens INTEGER NOT NULL DEFAULT 0,
        reserved_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS budget_reservations (
        reservation_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES budget_accounts(account_id),
        run_id TEXT NOT NULL,
        amount_nano INTEGER NOT NULL CHECK (amount_nano >= 0),
        tokens INTEGER NOT NULL,
        max_output_tokens INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'settled', 'released')),
        settled_nano INTEGER,
        created_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX IF NOT EXISTS budget_reservations_by_run ON budget_reservations (run_id, status);
      CREATE TABLE IF NOT EXISTS response_cache (
        key TEXT PRIMARY KEY,
        response TEXT NOT NULL,
        usage TEXT NOT NULL,
        created_at TEXT NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS project_notes (
        repository_key TEXT NOT NULL,
        key TEXT NOT NULL,
        text TEXT NOT NULL,
        run_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (repository_key, key)
      );
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS budget_accounts (
        account_id TEXT PRIMARY KEY,
        parent_id TEXT REFERENCES budget_accounts(account_id),
        cap_nano BIGINT,
        max_tokens BIGINT,
        is_partition BOOLEAN NOT NULL DEFAULT FALSE,
        closed BOOLEAN NOT NULL DEFAULT FALSE,
        settled_nano BIGINT NOT NULL DEFAULT 0 CHECK (settled_nano >= 0),
        reserved_nano BIGINT NOT NULL DEFAULT 0 CHECK (reserved_nano >= 0),
        settled_tokens BIGINT NOT NULL DEFAULT 0,
        reserved_tokens BIGINT NOT NULL DEFAULT 0,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS budget_reservations (
        reservation_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES budget_accounts(account_id),
        run_id TEXT NOT NULL,
        amount_nano BIGINT NOT NULL CHECK (amount_nano >= 0),
        tokens BIGINT NOT NULL,
        max_output_tokens BIGINT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'settled', 'released')),
        settled_nano BIGINT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        ended_at TIMESTAMPTZ
      );
      CREATE INDEX IF NOT EXISTS budget_reservations_by_run ON budget_reservations (run_id, status);
      CREATE TABLE IF NOT EXISTS response_cache (
        key TEXT PRIMARY KEY,
        response TEXT NOT NULL,
        usage JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        hits BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS project_notes (
        repository_key TEXT NOT NULL,
        key TEXT NOT NULL,
        text TEXT NOT NULL,
        run_id TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (repository_key, key)
      );
    `,
  },
];
