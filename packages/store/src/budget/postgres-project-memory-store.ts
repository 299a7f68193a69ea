import type { ProjectMemoryStore, ProjectNote } from '@orchestrator/spec';
import type pg from 'pg';
import { connectBudgetPool, type PostgresBudgetOptions } from './postgres-budget-database.ts';

interface NoteRow {
  repository_key: string;
  key: string;
  text: string;
  run_id: string;
  updated_at: Date;
}

/** Project memory (durable notes per repository) on PostgreSQL, shared by a team's runs and workers. */
export class PostgresProjectMemoryStore implements ProjectMemoryStore {
  readonly specificationVersion = 'v1' as const;
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async connect(
    connectionString: string,
    options: PostgresBudgetOptions = {},
  ): Promise<PostgresProjectMemoryStore> {
    return new PostgresProjectMemoryStore(await connectBudgetPool(connectionString, options));
  }

  async putNote(note: Omit<ProjectNote, 'updatedAt'>): Promise<void> {
    await this.#pool.query(
      `INSERT INTO project_notes (repository_key, key, text, run_id, updated_at) VALUES ($1, $2, $3, $4, clock_timestamp())
       ON CONFLICT (repository_key, key) DO UPDATE SET text = EXCLUDED.text, run_id = EXCLUDED.run_id,
         updated_at = EXCLUDED.updated_at`,
      [note.repositoryKey, note.key, note.text, note.runId],
    );
  }

  async listNotes(repositoryKey: string): Promise<ProjectNote[]> {
    const result = await this.#pool.query<NoteRow>(
      'SELECT * FROM project_notes WHERE repository_key = $1 ORDER BY updated_at, key',
      [repositoryKey],
    );
    return result.rows.map((row) => ({
      repositoryKey: row.repository_key,
      key: row.key,
      text: row.text,
      runId: row.run_id,
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  async deleteNote(repositoryKey: string, key: string): Promise<boolean> {
    const result = await this.#pool.query('DELETE FROM project_notes WHERE repository_key = $1 AND key = $2', [
      repositoryKey,
      key,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
