import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ChunkKind, CodeChunk } from '@orchestrator/spec';
import { SystemError } from '@orchestrator/spec';
import type { DefinitionRecord } from '../chunking/chunk-source-file.ts';
import { identifierTerms, pathTerms, splitIdentifier } from '../chunking/identifier-terms.ts';

/**
 * Creates the index file (and its directories) user-only, or tightens an existing one: the index holds the
 * repository's source. SQLite gives -wal/-shm the file's mode; `VACUUM INTO` fills an empty file it is given.
 */
function preparePrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const descriptor = openSync(path, 'a', 0o600);
  fchmodSync(descriptor, 0o600);
  closeSync(descriptor);
}

/** Bumped whenever the schema or the chunking changes; an index of another version is rebuilt from scratch. */
export const indexSchemaVersion = '3';

/** Column weights of `bm25()`: symbol names, path terms, body text, split identifiers. */
export const bm25Weights = { symbol: 8, path: 4, body: 1, terms: 1.5 } as const;

/**
 * `chunks_fts` is a regular FTS5 table (it stores its own copy of the columns): deleting a row there lowers the row and
 * token counts `bm25()` reads. A contentless table with `contentless_delete=1` does not, so after updates it ranked
 * differently from a fresh index of the same tree.
 */
const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY, hash TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
  language TEXT NOT NULL, refs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL, kind TEXT NOT NULL, symbol TEXT, language TEXT NOT NULL, context TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_path ON chunks(path);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  symbol, path, body, terms, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS definitions (
  name TEXT NOT NULL, qualified_name TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
  line INTEGER NOT NULL, end_line INTEGER NOT NULL, chunk_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS definitions_by_name ON definitions(name);
CREATE INDEX IF NOT EXISTS definitions_by_path ON definitions(path);
CREATE TABLE IF NOT EXISTS embeddings (
  chunk_id TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (chunk_id, model)) WITHOUT ROWID;
`;

/** What the index remembers about a file to skip it when unchanged. */
export interface StoredFileState {
  hash: string;
  size: number;
  mtimeMs: number;
}

/** A chunk row as stored. */
interface ChunkRow {
  rowid: number;
  id: string;
  path: string;
  start_line: number;
  end_line: number;
  kind: string;
  symbol: string | null;
  language: string;
  context: string;
  text: string;
}

/** A definition row of the symbol table. */
export interface DefinitionRow {
  name: string;
  qualifiedName: string;
  kind: ChunkKind;
  path: string;
  line: number;
  endLine: number;
  chunkId: string;
}

/** Everything stored for one file at once. */
export interface FileRecord {
  path: string;
  hash: string;
  size: number;
  mtimeMs: number;
  language: string;
  chunks: readonly CodeChunk[];
  definitions: readonly DefinitionRecord[];
  /** Identifiers the file mentions, with counts. */
  references: ReadonlyMap<string, number>;
}

function toChunk(row: ChunkRow): CodeChunk {
  return {
    id: row.id,
    path: row.path,
    startLine: row.start_line,
    endLine: row.end_line,
    kind: row.kind as ChunkKind,
    ...(row.symbol === null ? {} : { symbol: row.symbol }),
    language: row.language,
    text: row.text,
    context: row.context,
  };
}

function symbolTerms(symbol: string | undefined): string {
  if (symbol === undefined) return '';
  const parts = new Set([symbol, ...symbol.split(/[.\s]+/)]);
  for (const part of symbol.split(/[.\s]+/)) for (const piece of splitIdentifier(part)) parts.add(piece);
  return [...parts].join(' ');
}

/** The SQLite file of one repository's index: chunks, FTS5 postings, symbol table and optional embeddings. */
export class IndexDatabase {
  readonly database: DatabaseSync;
  private readonly statements: Record<string, StatementSync>;

  constructor(path: string) {
    try {
      if (path !== ':memory:') preparePrivateFile(path);
      this.database = new DatabaseSync(path);
      this.database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
      const version = this.readVersion();
      if (version !== undefined && version !== indexSchemaVersion) this.dropAll();
      this.database.exec(schema);
      this.database
        .prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
        .run('schema-version', indexSchemaVersion);
    } catch (cause) {
      throw new SystemError({
        code: 'retrieval-index-unreadable',
        message: `The repository index at ${path} cannot be opened.`,
        hint: 'Delete the file; the next `orchestrator index` rebuilds it.',
        cause,
      });
    }
    const prepare = (sql: string) => this.database.prepare(sql);
    this.statements = {
      fileStates: prepare('SELECT path, hash, size, mtime_ms AS mtimeMs FROM files'),
      touchFile: prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE path = ?'),
      chunkRowids: prepare('SELECT rowid FROM chunks WHERE path = ?'),
      deleteFts: prepare('DELETE FROM chunks_fts WHERE rowid = ?'),
      deleteChunks: prepare('DELETE FROM chunks WHERE path = ?'),
      deleteDefinitions: prepare('DELETE FROM definitions WHERE path = ?'),
      deleteFile: prepare('DELETE FROM files WHERE path = ?'),
      insertFile: prepare(
        'INSERT INTO files (path, hash, size, mtime_ms, language, refs) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms, language = excluded.language, refs = excluded.refs',
      ),
      insertChunk: prepare(
        'INSERT INTO chunks (id, path, start_line, end_line, kind, symbol, language, context, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertFts: prepare('INSERT INTO chunks_fts (rowid, symbol, path, body, terms) VALUES (?, ?, ?, ?, ?)'),
      insertDefinition: prepare(
        'INSERT INTO definitions (name, qualified_name, kind, path, line, end_line, chunk_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      match: prepare(
        `SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? AND rank MATCH 'bm25(${bm25Weights.symbol}, ${bm25Weights.path}, ${bm25Weights.body}, ${bm25Weights.terms})' ORDER BY rank LIMIT ?`,
      ),
      matchPaths: prepare(
        `SELECT c.path AS path, c.id AS id, m.rank AS rank FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? AND rank MATCH 'bm25(${bm25Weights.symbol}, ${bm25Weights.path}, ${bm25Weights.body}, ${bm25Weights.terms})' ORDER BY rank LIMIT ?) m JOIN chunks c ON c.rowid = m.rowid`,
      ),
      paths: prepare('SELECT path FROM files ORDER BY path'),
      chunkByRowid: prepare('SELECT * FROM chunks WHERE rowid = ?'),
      chunkById: prepare('SELECT * FROM chunks WHERE id = ?'),
      documentFrequency: prepare('SELECT count(*) AS count FROM chunks_fts WHERE chunks_fts MATCH ?'),
      counts: prepare('SELECT (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM chunks) AS chunks'),
    };
  }

  private readVersion(): string | undefined {
    const table = this.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (table === undefined) return undefined;
    const row = this.database.prepare("SELECT value FROM meta WHERE key = 'schema-version'").get() as
      | { value: string }
      | undefined;
    return row?.value;
  }

  private dropAll(): void {
    this.database.exec(
      'DROP TABLE IF EXISTS chunks_fts; DROP TABLE IF EXISTS chunks; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS definitions; DROP TABLE IF EXISTS embeddings; DROP TABLE IF EXISTS meta;',
    );
  }

  /** Runs `work` in one write transaction (taking the write lock up front, so two indexers queue instead of failing). */
  transaction<T>(work: () => T): T {
    this.database.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.database.exec('COMMIT');
      return result;
    } catch (error) {
      this.database.exec('ROLLBACK');
      throw error;
    }
  }

  /** Every indexed file's state, by path (one query, for the update's scan). */
  fileStates(): Map<string, StoredFileState> {
    const states = new Map<string, StoredFileState>();
    for (const row of this.statements.fileStates!.all() as unknown as Array<StoredFileState & { path: string }>) {
      states.set(row.path, { hash: row.hash, size: row.size, mtimeMs: row.mtimeMs });
    }
    return states;
  }

  /** Records a new modification time for a file whose content did not change. */
  touchFile(path: string, size: number, mtimeMs: number): void {
    this.statements.touchFile!.run(size, mtimeMs, path);
  }

  removeFile(path: string): void {
    for (const row of this.statements.chunkRowids!.all(path) as Array<{ rowid: number }>) {
      this.statements.deleteFts!.run(row.rowid);
    }
    this.statements.deleteChunks!.run(path);
    this.statements.deleteDefinitions!.run(path);
    this.statements.deleteFile!.run(path);
  }

  /** Replaces everything stored for a file. */
  putFile(file: FileRecord): void {
    this.removeFile(file.path);
    const references = [...file.references].map(([name, count]) => `${name} ${count}`).join('\n');
    this.statements.insertFile!.run(file.path, file.hash, file.size, file.mtimeMs, file.language, references);
    const pathText = pathTerms(file.path);
    for (const chunk of file.chunks) {
      const result = this.statements.insertChunk!.run(
        chunk.id,
        chunk.path,
        chunk.startLine,
        chunk.endLine,
        chunk.kind,
        chunk.symbol ?? null,
        chunk.language,
        chunk.context,
        chunk.text,
      );
      const terms = identifierTerms(chunk.text);
      this.statements.insertFts!.run(
        result.lastInsertRowid,
        symbolTerms(chunk.symbol),
        pathText,
        chunk.text,
        chunk.context === '' ? terms : `${chunk.context} ${terms}`,
      );
    }
    for (const definition of file.definitions) {
      this.statements.insertDefinition!.run(
        definition.name,
        definition.qualifiedName,
        definition.kind,
        file.path,
        definition.line,
        definition.endLine,
        definition.chunkId,
      );
    }
  }

  /** Row ids and BM25 ranks (lower is better) of the best matches of an FTS5 expression. */
  match(expression: string, limit: number): Array<{ rowid: number; rank: number }> {
    return this.statements.match!.all(expression, limit) as Array<{ rowid: number; rank: number }>;
  }

  /** Paths, chunk ids and BM25 ranks (lower is better) of the best matches, without reading chunk text. */
  matchPaths(expression: string, limit: number): Array<{ path: string; id: string; rank: number }> {
    return this.statements.matchPaths!.all(expression, limit) as Array<{ path: string; id: string; rank: number }>;
  }

  /** Every indexed file's path, sorted. */
  paths(): string[] {
    return (this.statements.paths!.all() as Array<{ path: string }>).map((row) => row.path);
  }

  /** How many chunks contain an FTS5 term (cheap: no ranking). */
  documentFrequency(term: string): number {
    return (this.statements.documentFrequency!.get(term) as { count: number }).count;
  }

  chunkByRowid(rowid: number): CodeChunk | undefined {
    const row = this.statements.chunkByRowid!.get(rowid) as ChunkRow | undefined;
    return row === undefined ? undefined : toChunk(row);
  }

  chunkById(id: string): CodeChunk | undefined {
    const row = this.statements.chunkById!.get(id) as ChunkRow | undefined;
    return row === undefined ? undefined : toChunk(row);
  }

  counts(): { files: number; chunks: number } {
    return this.statements.counts!.get() as { files: number; chunks: number };
  }

  /** All definitions (for the repo map). */
  definitions(): DefinitionRow[] {
    return this.database
      .prepare(
        'SELECT name, qualified_name AS qualifiedName, kind, path, line, end_line AS endLine, chunk_id AS chunkId FROM definitions ORDER BY path, line',
      )
      .all() as unknown as DefinitionRow[];
  }

  /** Definitions of a name (the symbol table lookup). */
  definitionsNamed(name: string): DefinitionRow[] {
    this.statements.definitionsNamed ??= this.database.prepare(
      'SELECT name, qualified_name AS qualifiedName, kind, path, line, end_line AS endLine, chunk_id AS chunkId FROM definitions WHERE name = ? ORDER BY path, line',
    );
    return this.statements.definitionsNamed.all(name) as unknown as DefinitionRow[];
  }

  /** Each file's referenced identifiers with counts. */
  *references(): Generator<{ path: string; names: Map<string, number> }> {
    for (const row of this.database.prepare('SELECT path, refs FROM files').iterate() as Iterable<{
      path: string;
      refs: string;
    }>) {
      const names = new Map<string, number>();
      for (const line of row.refs.split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0) names.set(line.slice(0, space), Number(line.slice(space + 1)));
      }
      yield { path: row.path, names };
    }
  }

  /** Writes a consistent copy of the index to `path` (which must not exist). */
  copyTo(path: string): void {
    preparePrivateFile(path);
    this.database.prepare('VACUUM INTO ?').run(path);
  }

  close(): void {
    if (this.database.isOpen) this.database.close();
  }
}
