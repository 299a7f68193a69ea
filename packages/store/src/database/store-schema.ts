import type { ColumnType, Generated } from 'kysely';

/** An integer: SQLite reads it as a number, PostgreSQL reads a BIGINT as a string; read through `Number()`. */
type Integer = ColumnType<number | string | bigint, number, number>;
type IntegerWithDefault = ColumnType<number | string | bigint, number | undefined, number>;
type NullableInteger = ColumnType<number | string | bigint | null, number | null | undefined, number | null>;
/** A boolean: SQLite stores 0/1, PostgreSQL a BOOLEAN. */
type Flag = ColumnType<boolean | number, boolean | undefined, boolean>;
/** A timestamp written as ISO-8601: SQLite keeps the text, PostgreSQL (TIMESTAMPTZ columns) reads it back as a Date. */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null | undefined, string | null>;
/** JSON written as text: SQLite reads the text back, PostgreSQL (JSONB columns) the parsed value. */
type Json = ColumnType<unknown, string | undefined, string>;

export interface RunsTable {
  ordinal: Generated<number | string>;
  run_id: string;
  last_seq: IntegerWithDefault;
  created_at: string;
  updated_at: string;
  labels: Json;
}

export interface EventsTable {
  run_id: string;
  seq: Integer;
  type: string;
  step_id: string | null;
  at: string;
  schema_version: Integer;
  data: string;
}

export interface BlobsTable {
  sha256: string;
  content: string;
  created_at: string;
}

export interface SchemaMigrationsTable {
  version: Integer;
  name: string;
  applied_at: string;
}

export interface BudgetAccountsTable {
  account_id: string;
  parent_id: string | null;
  cap_nano: NullableInteger;
  max_tokens: NullableInteger;
  is_partition: Flag;
  closed: Flag;
  settled_nano: IntegerWithDefault;
  reserved_nano: IntegerWithDefault;
  settled_tokens: IntegerWithDefault;
  reserved_tokens: IntegerWithDefault;
  created_at: Timestamp;
}

export interface BudgetReservationsTable {
  reservation_id: string;
  account_id: string;
  run_id: string;
  amount_nano: Integer;
  tokens: Integer;
  max_output_tokens: Integer;
  status: 'open' | 'settled' | 'released';
  settled_nano: NullableInteger;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface ResponseCacheTable {
  key: string;
  response: string;
  usage: Json;
  created_at: Timestamp;
  hits: IntegerWithDefault;
}

export interface ProjectNotesTable {
  repository_key: string;
  key: string;
  text: string;
  run_id: string;
  updated_at: Timestamp;
}

/** Every table of the store, as the query builder sees it on both databases. */
export interface StoreSchema {
  runs: RunsTable;
  events: EventsTable;
  blobs: BlobsTable;
  schema_migrations: SchemaMigrationsTable;
  budget_accounts: BudgetAccountsTable;
  budget_reservations: BudgetReservationsTable;
  response_cache: ResponseCacheTable;
  project_notes: ProjectNotesTable;
}

/** A timestamp column's value as ISO-8601, whichever database read it. */
export function isoOf(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** A JSON column's value, parsed when the database handed back text. */
export function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

/** A flag column's value as a boolean. */
export function flagOf(value: boolean | number): boolean {
  return value === true || value === 1;
}

/** A nullable integer column's value as a number. */
export function numberOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}
