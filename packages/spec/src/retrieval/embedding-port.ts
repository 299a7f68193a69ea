/** Token usage of one embeddings call, when the provider reports it. */
export interface EmbeddingUsage {
  /** Input tokens billed. */
  inputTokens: number;
}

/** The result of embedding a batch of texts. */
export interface EmbeddingResult {
  /** One vector per input text, in input order; all of the same dimension. */
  embeddings: number[][];
  /** Usage, when reported. */
  usage?: EmbeddingUsage;
}

/**
 * The embeddings port, version 1 (an addition beside the model port): turns texts into vectors for hybrid retrieval.
 * Optional everywhere: retrieval works with BM25 alone when no embedder is configured.
 * Adapters throw `ModelCallError` on failure.
 */
export interface EmbeddingPort {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** Provider name, e.g. `openai`, `fake`. */
  readonly provider: string;
  /** The embedding model id, e.g. `text-embedding-3-small`. */
  readonly modelId: string;
  /** Embeds a batch of texts. */
  embed(texts: readonly string[]): Promise<EmbeddingResult>;
}
