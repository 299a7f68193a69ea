import { Worker } from 'node:worker_threads';
import { SystemError } from '@orchestrator/spec';
import { type ChunkTaskResult, chunkFileTask } from './chunk-file-task.ts';
import type { ChunkingOptions } from './chunk-source-file.ts';

/** Chunks files, on this thread or on a pool of worker threads. */
export interface Chunker {
  /** How many files may usefully be in flight at once. */
  readonly concurrency: number;
  chunk(path: string, text: string): Promise<ChunkTaskResult>;
  close(): Promise<void>;
}

/** Chunks on the calling thread (small updates, tests). */
export function inlineChunker(options: ChunkingOptions): Chunker {
  return {
    concurrency: 1,
    chunk: (path, text) => chunkFileTask(path, text, options),
    close: async () => {},
  };
}

interface PoolWorker {
  worker: Worker;
  busy: number;
}

/** Chunks on `size` worker threads (tree-sitter parsing is CPU-bound; the main thread keeps reading and writing). */
export function workerChunker(options: ChunkingOptions, size: number): Chunker {
  const pending = new Map<number, { resolve: (result: ChunkTaskResult) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  const workers: PoolWorker[] = Array.from({ length: size }, () => {
    const worker = new Worker(new URL('./chunk-worker.ts', import.meta.url), { workerData: options });
    const entry: PoolWorker = { worker, busy: 0 };
    worker.on('message', (message: { id: number; result?: ChunkTaskResult; error?: string }) => {
      entry.busy -= 1;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.result !== undefined) waiting?.resolve(message.result);
      else
        waiting?.reject(
          new SystemError({
            code: 'retrieval-chunk-failed',
            message: `Chunking failed in a worker: ${message.error}`,
            hint: 'Re-run the indexer; if it persists, report the file that fails.',
          }),
        );
    });
    worker.on('error', (error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
    return entry;
  });
  return {
    concurrency: size * 4,
    chunk(path, text) {
      const id = nextId;
      nextId += 1;
      const target = workers.reduce((least, entry) => (entry.busy < least.busy ? entry : least));
      target.busy += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.worker.postMessage({ id, path, text });
      });
    },
    async close() {
      await Promise.all(workers.map((entry) => entry.worker.terminate()));
    },
  };
}
