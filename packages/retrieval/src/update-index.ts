import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ChunkingOptions } from './chunking/chunk-source-file.ts';
import { type Chunker, inlineChunker, workerChunker } from './chunking/chunker-pool.ts';
import { pruneEmbeddings } from './embeddings/embedding-store.ts';
import type { FileRecord, IndexDatabase } from './store/index-database.ts';
import {
  contentSkipReason,
  type FileSelectionOptions,
  type WalkedFile,
  walkRepository,
} from './walking/walk-repository.ts';

/** Progress of an index update, reported as it goes. */
export interface IndexProgress {
  /** `scan`: listing files; `index`: reading and chunking new or modified files. */
  phase: 'scan' | 'index';
  /** Files chunked so far in this phase. */
  done: number;
  /** Files whose size or modification time changed (read and hashed; chunked if the content changed). */
  total: number;
}

/** What an update did. */
export interface IndexUpdateResult {
  /** Files selected by the walk. */
  filesSeen: number;
  /** Files (re-)chunked because they are new or their content hash changed. */
  filesIndexed: number;
  /** Files skipped because their size, modification time or content hash is unchanged. */
  filesUnchanged: number;
  /** Files removed from the index (deleted, now ignored, or now binary/generated). */
  filesRemoved: number;
  /** Files left out, by reason. */
  skipped: { ignored: number; tooLarge: number; binary: number; generated: number };
  /** Chunks in the index after the update. */
  chunks: number;
  /** Files in the index after the update. */
  files: number;
  durationMs: number;
}

const batchSize = 200;
/** Below this many files to (re-)read, chunking stays on the calling thread: starting workers costs more. */
const workerThreshold = 300;

/** How updates use threads. */
export interface UpdateConcurrency {
  /** Worker threads for chunking; 0 chunks on the calling thread. Default: one per core (max 4) for large updates. */
  workers?: number;
}

function chunkerFor(candidates: number, chunking: ChunkingOptions, concurrency: UpdateConcurrency): Chunker {
  const workers = concurrency.workers ?? (candidates >= workerThreshold ? Math.min(4, availableParallelism()) : 0);
  return workers > 0 ? workerChunker(chunking, workers) : inlineChunker(chunking);
}

/** Brings the index up to date with the working tree: only new or changed files are re-chunked. */
export async function updateIndex(
  database: IndexDatabase,
  root: string,
  selection: FileSelectionOptions,
  chunking: ChunkingOptions,
  onProgress: (progress: IndexProgress) => void = () => {},
  concurrency: UpdateConcurrency = {},
): Promise<IndexUpdateResult> {
  const started = performance.now();
  onProgress({ phase: 'scan', done: 0, total: 0 });
  const walk = walkRepository(root, selection);
  const states = database.fileStates();
  const stale = new Set(states.keys());
  const skipped = { ...walk.skipped, binary: 0, generated: 0 };
  let filesIndexed = 0;
  let filesUnchanged = 0;
  let filesRemoved = 0;
  let pending: Array<() => void> = [];
  const flush = () => {
    if (pending.length === 0) return;
    const work = pending;
    pending = [];
    database.transaction(() => {
      for (const step of work) step();
    });
  };

  // Size and modification time unchanged: skipped without reading (as git does).
  const candidates: WalkedFile[] = [];
  for (const file of walk.files) {
    stale.delete(file.path);
    const stored = states.get(file.path);
    if (stored !== undefined && stored.size === file.size && stored.mtimeMs === file.mtimeMs) filesUnchanged += 1;
    else candidates.push(file);
  }

  const total = candidates.length;
  onProgress({ phase: 'index', done: 0, total });
  const chunker = chunkerFor(total, chunking, concurrency);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  try {
    for (const file of candidates) {
      const stored = states.get(file.path);
      let content: Buffer;
      try {
        content = readFileSync(file.absolutePath);
      } catch {
        continue;
      }
      const hash = createHash('sha256').update(content).digest('hex');
      if (stored?.hash === hash) {
        filesUnchanged += 1;
        pending.push(() => database.touchFile(file.path, file.size, file.mtimeMs));
        continue;
      }
      const reason = contentSkipReason(content);
      if (reason !== undefined) {
        skipped[reason] += 1;
        if (stored !== undefined) {
          filesRemoved += 1;
          pending.push(() => database.removeFile(file.path));
        }
        continue;
      }
      const task = chunker.chunk(file.path, content.toString('utf8')).then(({ chunked, references }) => {
        const record: FileRecord = {
          path: file.path,
          hash,
          size: file.size,
          mtimeMs: file.mtimeMs,
          language: chunked.language,
          chunks: chunked.chunks,
          definitions: chunked.definitions,
          references,
        };
        filesIndexed += 1;
        done += 1;
        pending.push(() => database.putFile(record));
        if (done % 100 === 0) onProgress({ phase: 'index', done, total });
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task)).catch(() => {});
      if (inFlight.size >= chunker.concurrency) await Promise.race(inFlight);
      if (pending.length >= batchSize) flush();
    }
    await Promise.all(inFlight);
  } finally {
    await chunker.close();
  }
  for (const path of stale) {
    filesRemoved += 1;
    pending.push(() => database.removeFile(path));
  }
  flush();
  if (filesIndexed + filesRemoved > 0) pruneEmbeddings(database);
  onProgress({ phase: 'index', done: total, total });
  const counts = database.counts();
  return {
    filesSeen: walk.files.length,
    filesIndexed,
    filesUnchanged,
    filesRemoved,
    skipped,
    chunks: counts.chunks,
    files: counts.files,
    durationMs: Math.round(performance.now() - started),
  };
}
