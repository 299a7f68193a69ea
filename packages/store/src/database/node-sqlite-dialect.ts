import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/** How many prepared statements a connection keeps (multi-row inserts of every batch size included). */
const statementCacheSize = 256;

/**
 * Serialises this process's connections to one SQLite file. node:sqlite is synchronous: a connection that waited for
 * another connection's write lock (`busy_timeout`) would block the very event loop that must finish the other's
 * transaction. Connections of one process therefore take turns here, asynchronously; other processes still meet at
 * the file lock (`BEGIN IMMEDIATE`).
 */
class FileTurns {
  static readonly #byFile = new Map<string, FileTurns>();
  #tail: Promise<void> = Promise.resolve();

  static of(location: string): FileTurns {
    if (location === ':memory:') return new FileTurns();
    let turns = FileTurns.#byFile.get(location);
    if (turns === undefined) {
      turns = new FileTurns();
      FileTurns.#byFile.set(location, turns);
    }
    return turns;
  }

  /** Waits for the previous holder; resolves with the function that ends this turn. */
  async take(): Promise<() => void> {
    let end = () => {};
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => {
      end = resolve;
    });
    await previous;
    return end;
  }
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, { statement: StatementSync; reader: boolean }>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  async executeQuery<Row>(query: CompiledQuery): Promise<QueryResult<Row>> {
    const { statement, reader } = this.#prepare(query.sql);
    const parameters = query.parameters as SQLInputValue[];
    if (reader) return { rows: statement.all(...parameters) as Row[] };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered; the stores read whole pages.
  async *streamQuery<Row>(): AsyncIterableIterator<QueryResult<Row>> {
    throw new Error('The node:sqlite dialect does not stream queries; read in pages instead.');
  }

  #prepare(sql: string): { statement: StatementSync; reader: boolean } {
    let cached = this.#statements.get(sql);
    if (cached === undefined) {
      const statement = this.#database.prepare(sql);
      cached = { statement, reader: statement.columns().length > 0 };
      if (this.#statements.size >= statementCacheSize) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      this.#statements.set(sql, cached);
    }
    return cached;
  }
}

class NodeSqliteDriver implements Driver {
  readonly #database: DatabaseSync;
  readonly #connection: NodeSqliteConnection;
  readonly #turns: FileTurns;
  readonly #endTurns = new Map<DatabaseConnection, () => void>();

  constructor(database: DatabaseSync, location: string) {
    this.#database = database;
    this.#connection = new NodeSqliteConnection(database);
    this.#turns = FileTurns.of(location);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#endTurns.set(this.#connection, await this.#turns.take());
    return this.#connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const end = this.#endTurns.get(connection);
    this.#endTurns.delete(connection);
    end?.();
  }

  /** `BEGIN IMMEDIATE`: the write lock first, so a transaction's reads and writes see no other writer between them. */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.#raw(connection, 'BEGIN IMMEDIATE');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#raw(connection, 'COMMIT');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#raw(connection, 'ROLLBACK');
  }

  async destroy(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }

  #raw(connection: DatabaseConnection, sql: string): void {
    if (connection !== this.#connection) throw new Error('unreachable: a foreign connection');
    this.#database.exec(sql);
  }
}

/**
 * A Kysely dialect over Node's built-in `node:sqlite` (`DatabaseSync`): Kysely's own SQLite compiler, adapter and
 * introspector, with a driver that begins every transaction `IMMEDIATE` and caches prepared statements.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #database: DatabaseSync;
  readonly #location: string;

  /** `location` names the file (resolved path, or `:memory:`): connections of this process to it take turns. */
  constructor(database: DatabaseSync, location: string) {
    this.#database = database;
    this.#location = location;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#database, this.#location);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes an untyped instance here.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
