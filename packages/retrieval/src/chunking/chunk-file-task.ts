import { type ChunkedFile, type ChunkingOptions, chunkSourceFile } from './chunk-source-file.ts';
import { referencedIdentifiers } from './identifier-terms.ts';

/** Identifiers kept per file for the reference graph. */
const referenceLimit = 300;

/** A file cut into chunks, with the identifiers it mentions (for code files). */
export interface ChunkTaskResult {
  chunked: ChunkedFile;
  references: Map<string, number>;
}

/** The CPU-heavy part of indexing one file: parse and chunk it, and collect its references. */
export async function chunkFileTask(path: string, text: string, options: ChunkingOptions): Promise<ChunkTaskResult> {
  const chunked = await chunkSourceFile(path, text, options);
  const isCode = chunked.language !== 'text' && chunked.language !== 'markdown';
  return { chunked, references: isCode ? referencedIdentifiers(text, referenceLimit) : new Map() };
}
