import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CodeChunk, EmbeddingPort, RetrievedChunk, RetrieveOptions } from '@orchestrator/spec';
import { type ChunkingOptions, defaultChunkingOptions } from './chunking/chunk-source-file.ts';
import { embedMissingChunks } from './embeddings/embedding-store.ts';
import { buildRepoMap, type RepoMap, type RepoMapOptions } from './map/repo-map.ts';
import { queryTerms } from './search/fts-query.ts';
import { type RankedFile, type RankFilesOptions, rankFiles } from './search/rank-files.ts';
import { type DefinitionRow, IndexDatabase } from './store/index-database.ts';
import { type IndexProgress, type IndexUpdateResult, type UpdateConcurrency, updateIndex } from './update-index.ts';
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
  /**
   * An existing index to start from when `databasePath` does not exist yet, e.g. the main checkout's index for a run's
   * worktree: chunk ids are repository-relative, so only the files that differ get re-chunked by the first `update()`.
   */
  seedFrom?: string;
  /** Worker threads for chunking; 0 keeps it on the calling thread. Default: one per core (max 4) for large updates. */
  workers?: number;
}

/** Below this many chunks every query term is kept; above it, very common terms are dropped (see `selectiveTerms`). */
const largeIndexChunks = 20_000;
const commonTermShare = 0.12;
const minimumTerms = 2;

/** Lines between definitions of a code file (imports, glue) rank a little below definitions matching as well. */
function codeGapFactor(chunk: CodeChunk): number {
  return chunk.kind === 'lines' && chunk.language !== 'markdown' && chunk.language !== 'text' ? 0.8 : 1;
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
  private chunkCount: number | undefined;
  private readonly concurrency: UpdateConcurrency;
  /** Document frequencies and paths, valid until the next update changes the index. */
  private cache: { frequencies: Map<string, number>; paths: string[] | undefined } = {
    frequencies: new Map(),
    paths: undefined,
  };

  private constructor(options: RepositoryIndexOptions) {
    this.root = resolve(options.root);
    if (options.seedFrom !== undefined && !existsSync(options.databasePath) && existsSync(options.seedFrom)) {
      const seed = new IndexDatabase(options.seedFrom);
      try {
        seed.copyTo(options.databasePath);
      } finally {
        seed.close();
      }
    }
    this.database = new IndexDatabase(options.databasePath);
    this.selection = { ...defaultFileSelection, ...options.selection };
    this.chunking = { ...defaultChunkingOptions, ...options.chunking };
    this.concurrency = options.workers === undefined ? {} : { workers: options.workers };
  }

  /** Opens (creating when missing) the index file. Call `update()` to bring it up to date. */
  static open(options: RepositoryIndexOptions): RepositoryIndex {
    return new RepositoryIndex(options);
  }

  /** Re-indexes new and changed files, drops deleted ones. */
  async update(onProgress?: (progress: IndexProgress) => void): Promise<IndexUpdateResult> {
    const result = await updateIndex(
      this.database,
      this.root,
      this.selection,
      this.chunking,
      onProgress,
      this.concurrency,
    );
    this.chunkCount = result.chunks;
    if (result.filesIndexed + result.filesRemoved > 0) this.cache = { frequencies: new Map(), paths: undefined };
    return result;
  }

  /** BM25 search (symbol names and paths boosted), best first. */
  search(query: string, options: RetrieveOptions = {}): RetrievedChunk[] {
    const k = options.k ?? 8;
    const terms = this.selectiveTerms(queryTerms(query));
    if (terms.length === 0) return [];
    const expression = terms.join(' OR ');
    const prefixes = options.pathPrefixes ?? [];
    const matches = this.database.match(expression, prefixes.length === 0 ? k * 2 + 10 : k * 20);
    const chunks: RetrievedChunk[] = [];
    for (const match of matches) {
      const chunk = this.database.chunkByRowid(match.rowid);
      if (chunk === undefined) continue;
      if (prefixes.length > 0 && !prefixes.some((prefix) => chunk.path.startsWith(prefix))) continue;
      chunks.push({ ...chunk, score: -match.rank * codeGapFactor(chunk) });
    }
    // Equal scores are ordered by id, not by row id, so an updated index ranks exactly like a fresh one.
    return chunks
      .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
      .slice(0, k);
  }

  /**
   * Ranks files for a task (best first, with reasons): several chunks per file, exact mentions of the task's paths,
   * modules and identifiers, tests/docs/examples set aside unless the task is about them, rarest terms first.
   */
  rankFiles(query: string, options: RankFilesOptions = {}): RankedFile[] {
    const cache = this.cache;
    return rankFiles(
      {
        database: this.database,
        terms: queryTerms(query),
        documentFrequency: (term) => {
          let frequency = cache.frequencies.get(term);
          if (frequency === undefined) {
            frequency = this.database.documentFrequency(term);
            cache.frequencies.set(term, frequency);
          }
          return frequency;
        },
        paths: () => {
          cache.paths ??= this.database.paths();
          return cache.paths;
        },
        chunkCount: () => {
          this.chunkCount ??= this.database.counts().chunks;
          return this.chunkCount;
        },
      },
      query,
      options,
    );
  }

  /**
   * In a large index, terms found in more than `commonTermShare` of the chunks (`error`, `options` in a JavaScript code
   * base) add little to BM25 but make an OR query rank most of the index; they are dropped while rarer terms remain.
   */
  private selectiveTerms(terms: readonly string[]): string[] {
    if (this.chunkCount === undefined) this.chunkCount = this.database.counts().chunks;
    const total = this.chunkCount;
    if (total < largeIndexChunks || terms.length <= minimumTerms) return [...terms];
    const withFrequency = terms.map((term) => ({ term, frequency: this.database.documentFrequency(term) }));
    const selective = withFrequency.filter((entry) => entry.frequency <= total * commonTermShare);
    if (selective.length >= minimumTerms) return selective.map((entry) => entry.term);
    return withFrequency
      .sort((left, right) => left.frequency - right.frequency)
      .slice(0, minimumTerms)
      .map((entry) => entry.term);
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
