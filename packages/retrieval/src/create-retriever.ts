import type { EmbeddingPort, RetrievedChunk, RetrieveOptions, Retriever } from '@orchestrator/spec';
import { nearestChunkIds } from './embeddings/embedding-store.ts';
import type { RepositoryIndex } from './repository-index.ts';
import { reciprocalRankFusion } from './search/reciprocal-rank-fusion.ts';

/** Options of the index-backed retriever. */
export interface CreateRetrieverOptions {
  /** When given, BM25 and vector results are fused by reciprocal rank fusion; omit for BM25 only (the default). */
  embedder?: EmbeddingPort;
  /** How many candidates each ranking contributes before fusion, as a multiple of k (default 4). */
  candidateFactor?: number;
}

/**
 * The `Retriever` port over a repository index. The composition root builds it and hands it to the kernel, which
 * retrieves for each role's turn and checks the Builder's citations against the ids it got back.
 */
export function createRetriever(index: RepositoryIndex, options: CreateRetrieverOptions = {}): Retriever {
  const factor = options.candidateFactor ?? 4;
  return {
    specificationVersion: 'v1',
    async retrieve(query: string, retrieveOptions: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
      const k = retrieveOptions.k ?? 8;
      const embedder = options.embedder;
      if (embedder === undefined) return index.search(query, retrieveOptions);
      const lexical = index.search(query, { ...retrieveOptions, k: k * factor });
      const [queryVector] = (await embedder.embed([query])).embeddings;
      const semantic =
        queryVector === undefined ? [] : nearestChunkIds(index.database, embedder.modelId, queryVector, k * factor);
      const prefixes = retrieveOptions.pathPrefixes ?? [];
      const byId = new Map(lexical.map((chunk) => [chunk.id, chunk]));
      const fused: RetrievedChunk[] = [];
      for (const { id, score } of reciprocalRankFusion([lexical.map((chunk) => chunk.id), semantic])) {
        const chunk = byId.get(id) ?? index.database.chunkById(id);
        if (chunk === undefined) continue;
        if (prefixes.length > 0 && !prefixes.some((prefix) => chunk.path.startsWith(prefix))) continue;
        fused.push({ ...chunk, score });
        if (fused.length >= k) break;
      }
      return fused;
    },
  };
}
