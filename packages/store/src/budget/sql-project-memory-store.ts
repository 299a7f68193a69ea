import type { ProjectMemoryStore, ProjectNote } from '@orchestrator/spec';
import {
  connectPostgresDatabase,
  openSqliteDatabase,
  type PostgresStoreOptions,
  type StoreDatabase,
} from '../database/store-database.ts';
import { isoOf } from '../database/store-schema.ts';

/** Project memory (durable notes per repository), written once for SQLite and PostgreSQL, shared by a team's runs. */
export class SqlProjectMemoryStore implements ProjectMemoryStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: StoreDatabase;

  protected constructor(database: StoreDatabase) {
    this.#database = database;
  }

  /** Stores a note; rewriting a key replaces its note. */
  async putNote(note: Omit<ProjectNote, 'updatedAt'>): Promise<void> {
    await this.#database.ready;
    await this.#database.db
      .insertInto('project_notes')
      .values({
        repository_key: note.repositoryKey,
        key: note.key,
        text: note.text,
        run_id: note.runId,
        updated_at: new Date().toISOString(),
      })
      .onConflict((conflict) =>
        conflict.columns(['repository_key', 'key']).doUpdateSet((row) => ({
          text: row.ref('excluded.text'),
          run_id: row.ref('excluded.run_id'),
          updated_at: row.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async listNotes(repositoryKey: string): Promise<ProjectNote[]> {
    await this.#database.ready;
    const rows = await this.#database.db
      .selectFrom('project_notes')
      .selectAll()
      .where('repository_key', '=', repositoryKey)
      .orderBy('updated_at')
      .orderBy('key')
      .execute();
    return rows.map((row) => ({
      repositoryKey: row.repository_key,
      key: row.key,
      text: row.text,
      runId: row.run_id,
      updatedAt: isoOf(row.updated_at),
    }));
  }

  async deleteNote(repositoryKey: string, key: string): Promise<boolean> {
    await this.#database.ready;
    const deleted = await this.#database.db
      .deleteFrom('project_notes')
      .where('repository_key', '=', repositoryKey)
      .where('key', '=', key)
      .executeTakeFirst();
    return deleted.numDeletedRows > 0n;
  }

  async close(): Promise<void> {
    await this.#database.close();
  }
}

/** Project memory in a SQLite file, next to the journal and the budget tables. */
export class SqliteProjectMemoryStore extends SqlProjectMemoryStore {
  static open(filePath: string): SqliteProjectMemoryStore {
    return new SqliteProjectMemoryStore(openSqliteDatabase(filePath));
  }
}

/** Project memory on PostgreSQL, shared by a team's runs and workers. */
export class PostgresProjectMemoryStore extends SqlProjectMemoryStore {
  static async connect(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresProjectMemoryStore> {
    return new PostgresProjectMemoryStore(await connectPostgresDatabase(connectionString, options));
  }
}
