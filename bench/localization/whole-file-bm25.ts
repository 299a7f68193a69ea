// The baseline of the localization benchmark: plain BM25 over whole files (one FTS5 row per file, porter + unicode61,
// no weighting, no identifier splitting), over the same files the repository index takes, updated as the tree changes.
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { defaultFileSelection, queryTerms, walkRepository } from '@orchestrator/retrieval';

export class WholeFileBm25 {
  private readonly database = new DatabaseSync(':memory:');
  private readonly states = new Map<string, string>();

  constructor() {
    this.database.exec("CREATE VIRTUAL TABLE files USING fts5(path UNINDEXED, body, tokenize='porter unicode61')");
  }

  /** Brings the table up to date with the tree at `root`. */
  update(root: string): void {
    const insert = this.database.prepare('INSERT INTO files (path, body) VALUES (?, ?)');
    const remove = this.database.prepare('DELETE FROM files WHERE path = ?');
    const seen = new Set<string>();
    this.database.exec('BEGIN');
    for (const file of walkRepository(root, defaultFileSelection).files) {
      seen.add(file.path);
      const state = `${file.size} ${file.mtimeMs}`;
      if (this.states.get(file.path) === state) continue;
      const content = readFileSync(file.absolutePath);
      if (content.includes(0)) continue;
      if (this.states.has(file.path)) remove.run(file.path);
      insert.run(file.path, content.toString('utf8'));
      this.states.set(file.path, state);
    }
    for (const path of [...this.states.keys()].filter((path) => !seen.has(path))) {
      remove.run(path);
      this.states.delete(path);
    }
    this.database.exec('COMMIT');
  }

  /** The k best files for a query (every term OR-ed, ranked by bm25). */
  rank(query: string, k: number): string[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const rows = this.database
      .prepare('SELECT path FROM files WHERE files MATCH ? ORDER BY rank LIMIT ?')
      .all(terms.join(' OR '), k) as Array<{ path: string }>;
    return rows.map((row) => row.path);
  }

  close(): void {
    this.database.close();
  }
}
