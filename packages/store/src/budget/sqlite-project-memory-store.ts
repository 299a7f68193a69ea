import type { DatabaseSync } from 'node:sqlite';
import type { ProjectMemoryStore, ProjectNote } from '@orchestrator/spec';
import { openBudgetDatabase } from './sqlite-budget-database.ts';

interface NoteRow {
  repository_key: string;
  key: string;
  text: string;
  run_id: string;
  updated_at: string;
}

const noteFromRow = (row: NoteRow): ProjectNote => ({
  repositoryKey: row.repository_key,
  key: row.key,
  text: row.text,
  runId: row.run_id,
  updatedAt: row.updated_at,
});

/** Project memory (durable notes per repository) in a SQLite file, next to the journal and the budget tables. */
export class SqliteProjectMemoryStore implements ProjectMemoryStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: DatabaseSync;

  private constructor(database: DatabaseSync) {
    this.#database = database;
  }

  static open(filePath: string): SqliteProjectMemoryStore {
    return new SqliteProjectMemoryStore(openBudgetDatabase(filePath));
  }

  async putNote(note: Omit<ProjectNote, 'updatedAt'>): Promise<void> {
    this.#database
      .prepare(
        `INSERT INTO project_notes (repository_key, key, text, run_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repository_key, key) DO UPDATE SET text = excluded.text, run_id = excluded.run_id,
           updated_at = excluded.updated_at`,
      )
      .run(note.repositoryKey, note.key, note.text, note.runId, new Date().toISOString());
  }

  async listNotes(repositoryKey: string): Promise<ProjectNote[]> {
    const rows = this.#database
      .prepare('SELECT * FROM project_notes WHERE repository_key = ? ORDER BY updated_at, key')
      .all(repositoryKey) as unknown as NoteRow[];
    return rows.map(noteFromRow);
  }

  async deleteNote(repositoryKey: string, key: string): Promise<boolean> {
    const result = this.#database
      .prepare('DELETE FROM project_notes WHERE repository_key = ? AND key = ?')
      .run(repositoryKey, key);
    return Number(result.changes) > 0;
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }
}
