import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmbeddingPort, RetrievedChunk, RetrieveOptions } from '@orchestrator/spec';
import { type ChunkingOptions, defaultChunkingOptions } from './chunking/chunk-source-file.ts';
import { embedMissingChunks } from './embeddings/embedding-store.ts';
import { buildRepoMap, type RepoMap, type RepoMapOptions } from './map/repo-map.ts';
import { ftsQueryFor } from './search/fts-query.ts';
import { type DefinitionRow, IndexDatabase } from './store/index-database.ts';
import { type IndexProgress, type IndexUpdateResult, updateIndex } from './update-index.ts';
import { defaultFileSelection, type FileSelectionOptions } from './walking/walk-repository.ts';

/** Where and how to index a repository. */
export interface RepositoryIndexOptions {
  /** The repository (or any directory) to index. */
  root: string;
  /** The SQLite file; `repositoryIndexPath(dataDir, root)` gives the standard location. */
  databasePath: string;
  /** Which files to take in (defaults: honour .gitignore, skip vendored, generated and files over 512 KiB). */
  selection?: Partial<FileSelectionOptions>;
  /** How to cut files into chunks. */
  chunking?: Partial<ChunkingOptions>;
}

/** `<dataDir>/index/<first 16 hex digits of sha256(real path of the repository)>.sqlite`. */
export function repositoryIndexPath(dataDir: string, root: string): string {
  let real = resolve(root);
  try {
    real = realpathSync(real);
  } catch {}
  return join(dataDir, 'index', `${createHash('sha256').update(real).digest('hex').slice(0, 16)}.sqlite`);
}

/** A repository's index: incremental updates, BM25 search, the symbol table, the repo map and optional embeddings. */
export class RepositoryIndex {
  readonly root: string;
  readonly database: IndexDatabase;
  private readonly selection: FileSelectionOptions;
  private readonly chunking: ChunkingOptions;

  private constructor(options: RepositoryIndexOptions) {
    this.root = resolve(options.root);
    this.database = new IndexDatabase(options.databasePath);
    this.selection = { ...defaultFileSelection, ...options.selection };
    this.chunking = { ...defaultChunkingOptions, ...options.chunking };
  }

  /** Opens (creating when missing) the index file. Call `update()` to bring it up to date. */
  static open(options: RepositoryIndexOptions): RepositoryIndex {
    return new RepositoryIndex(options);
  }

  /** Re-indexes new and changed files, drops deleted ones. */
  update(onProgress?: (progress: IndexProgress) => void): Promise<IndexUpdateResult> {
    return updateIndex(this.database, this.root, this.selection, this.chunking, onProgress);
  }

  /** BM25 search (symbol names and paths boosted), best first. */
  search(query: string, options: RetrieveOptions = {}): RetrievedChunk[] {
    const k = options.k ?? 8;
    const expression = ftsQueryFor(query);
    if (expression === undefined) return [];
    const prefixes = options.pathPrefixes ?? [];
    const matches = this.database.match(expression, prefixes.length === 0 ? k : k * 20);
    const chunks: RetrievedChunk[] = [];
    for (const match of matches) {
      const chunk = this.database.chunkByRowid(match.rowid);
      if (chunk === undefined) continue;
      if (prefixes.length > 0 && !prefixes.some((prefix) => chunk.path.startsWith(prefix))) continue;
      chunks.push({ ...chunk, score: -match.rank });
      if (chunks.length >= k) break;
    }
    return chunks;
  }

  /** The symbol table: where a name is defined. */
  definitionsOf(name: string): DefinitionRow[] {
    return this.database.definitionsNamed(name);
  }

  /** The repo map ranked by PageRank over the reference graph, fitted to a token budget. */
  repoMap(options: RepoMapOptions = {}): RepoMap {
    return buildRepoMap(this.database, options);
  }

  /** Embeds chunks that have no vector for the embedder's model yet (optional; retrieval works without). */
  embedMissing(
    embedder: EmbeddingPort,
    options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<number> {
    return embedMissingChunks(this.database, embedder, options);
  }

  /** Files and chunks in the index. */
  counts(): { files: number; chunks: number } {
    return this.database.counts();
  }

  close(): void {
    this.database.close();
  }
}
