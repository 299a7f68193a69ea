// Worker thread entry: chunks files sent by the main thread (see chunker-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { chunkFileTask } from './chunk-file-task.ts';
import type { ChunkingOptions } from './chunk-source-file.ts';

const options = workerData as ChunkingOptions;
parentPort?.on('message', async (task: { id: number; path: string; text: string }) => {
  try {
    const result = await chunkFileTask(task.path, task.text, options);
    parentPort?.postMessage({ id: task.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
});
