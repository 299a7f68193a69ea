import type { RetrievedChunk } from './code-chunk.ts';

/** Options of one retrieval. */
export interface RetrieveOptions {
  /** How many chunks to return at most (default 8). */
  k?: number;
  /** Only chunks whose path starts with one of these prefixes (repository-relative). */
  pathPrefixes?: readonly string[];
}

/**
 * The retrieval port, version 1: the kernel asks it for the chunks relevant to a role's turn and puts them in the
 * prompt; the composition root chooses the implementation (the SQLite FTS5 index of packages/retrieval).
 */
export interface Retriever {
  /** Version of this contract the implementation provides. */
  readonly specificationVersion: 'v1';
  /** The best chunks for a natural-language or identifier query, best first, at most `k`. Never throws on no match. */
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedChunk[]>;
}
