import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ChunkingOptions, chunkSourceFile } from './chunking/chunk-source-file.ts';
import { referencedIdentifiers } from './chunking/identifier-terms.ts';
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
  /** `scan`: listing files; `index`: reading and chunking changed files. */
  phase: 'scan' | 'index';
  /** Files processed so far in this phase. */
  done: number;
  /** Files to process in this phase. */
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

const referenceLimit = 300;
const batchSize = 200;

async function recordFor(
  file: WalkedFile,
  content: Buffer,
  hash: string,
  chunking: ChunkingOptions,
): Promise<FileRecord> {
  const text = content.toString('utf8');
  const chunked = await chunkSourceFile(file.path, text, chunking);
  return {
    path: file.path,
    hash,
    size: file.size,
    mtimeMs: file.mtimeMs,
    language: chunked.language,
    chunks: chunked.chunks,
    definitions: chunked.definitions,
    references:
      chunked.language === 'text' || chunked.language === 'markdown'
        ? new Map()
        : referencedIdentifiers(text, referenceLimit),
  };
}

/** Brings the index up to date with the working tree: only new or changed files are re-chunked. */
export async function updateIndex(
  database: IndexDatabase,
  root: string,
  selection: FileSelectionOptions,
  chunking: ChunkingOptions,
  onProgress: (progress: IndexProgress) => void = () => {},
): Promise<IndexUpdateResult> {
  const started = performance.now();
  onProgress({ phase: 'scan', done: 0, total: 0 });
  const walk = walkRepository(root, selection);
  const stale = new Set(database.filePaths());
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

  const total = walk.files.length;
  onProgress({ phase: 'index', done: 0, total });
  for (const [position, file] of walk.files.entries()) {
    stale.delete(file.path);
    const stored = database.fileState(file.path);
    if (stored !== undefined && stored.size === file.size && stored.mtimeMs === file.mtimeMs) {
      filesUnchanged += 1;
      continue;
    }
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
    const record = await recordFor(file, content, hash, chunking);
    filesIndexed += 1;
    pending.push(() => database.putFile(record));
    if (pending.length >= batchSize) flush();
    if (position > 0 && position % 100 === 0) onProgress({ phase: 'index', done: position, total });
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
    filesSeen: total,
    filesIndexed,
    filesUnchanged,
    filesRemoved,
    skipped,
    chunks: counts.chunks,
    files: counts.files,
    durationMs: Math.round(performance.now() - started),
  };
}
