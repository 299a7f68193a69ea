import type { EmbeddingPort } from '@orchestrator/spec';
import type { IndexDatabase } from '../store/index-database.ts';

function toBlob(vector: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}

function fromBlob(blob: Uint8Array): Float32Array {
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index += 1) sum += (vector[index] ?? 0) ** 2;
  return Math.sqrt(sum);
}

/** Cosine similarity; 0 when either vector is zero or the dimensions differ. */
export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  if (left.length !== right.length) return 0;
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) dot += (left[index] ?? 0) * (right[index] ?? 0);
  const denominator = norm(left) * norm(right);
  return denominator === 0 ? 0 : dot / denominator;
}

/** Embeds the chunks that have no vector yet for the embedder's model, in batches; returns how many were embedded. */
export async function embedMissingChunks(
  database: IndexDatabase,
  embedder: EmbeddingPort,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 64;
  const sql = database.database;
  const missing = sql
    .prepare(
      'SELECT c.id, c.context, c.text FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.chunk_id = c.id AND e.model = ?) ORDER BY c.rowid',
    )
    .all(embedder.modelId) as Array<{ id: string; context: string; text: string }>;
  const insert = sql.prepare('INSERT OR REPLACE INTO embeddings (chunk_id, model, vector) VALUES (?, ?, ?)');
  let done = 0;
  for (let start = 0; start < missing.length; start += batchSize) {
    const batch = missing.slice(start, start + batchSize);
    const result = await embedder.embed(batch.map((chunk) => `${chunk.context}\n${chunk.text}`.slice(0, 8000)));
    database.transaction(() => {
      batch.forEach((chunk, index) => {
        const vector = result.embeddings[index];
        if (vector !== undefined) insert.run(chunk.id, embedder.modelId, toBlob(vector));
      });
    });
    done += batch.length;
    options.onProgress?.(done, missing.length);
  }
  return done;
}

/** Drops vectors of chunks that no longer exist. */
export function pruneEmbeddings(database: IndexDatabase): void {
  database.database.exec('DELETE FROM embeddings WHERE chunk_id NOT IN (SELECT id FROM chunks)');
}

/** Chunk ids by cosine similarity to the query vector, best first (brute force over the stored vectors). */
export function nearestChunkIds(
  database: IndexDatabase,
  model: string,
  queryVector: readonly number[],
  limit: number,
): string[] {
  const scored: Array<{ id: string; similarity: number }> = [];
  const rows = database.database
    .prepare('SELECT chunk_id AS id, vector FROM embeddings WHERE model = ?')
    .iterate(model) as Iterable<{ id: string; vector: Uint8Array }>;
  for (const row of rows) scored.push({ id: row.id, similarity: cosineSimilarity(queryVector, fromBlob(row.vector)) });
  scored.sort((left, right) => right.similarity - left.similarity);
  return scored.slice(0, limit).map((entry) => entry.id);
}
