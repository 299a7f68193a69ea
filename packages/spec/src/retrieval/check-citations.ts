import type { ChunkCitation, InvalidCitation } from './chunk-citation.ts';
import { parseChunkId } from './parse-chunk-id.ts';

/**
 * Checks a role's citations against the ids of the chunks actually retrieved for its turn. Pure; returns the invalid
 * citations (empty when all hold). An invented, stale or out-of-range citation is a protocol error the Critic sees.
 */
export function checkCitations(
  citations: readonly ChunkCitation[],
  retrievedChunkIds: Iterable<string>,
): InvalidCitation[] {
  const retrieved = new Set(retrievedChunkIds);
  const invalid: InvalidCitation[] = [];
  for (const citation of citations) {
    const parts = parseChunkId(citation.chunkId);
    if (parts === undefined) {
      invalid.push({
        citation,
        reason: 'malformed-id',
        message: `Citation ${JSON.stringify(citation.chunkId)} is not a chunk id (expected <path>:<start>-<end>#<hash>).`,
      });
      continue;
    }
    if (!retrieved.has(citation.chunkId)) {
      invalid.push({
        citation,
        reason: 'not-retrieved',
        message: `Chunk ${citation.chunkId} was not retrieved for this turn; cite only chunk ids given in the context.`,
      });
      continue;
    }
    const startLine = citation.startLine ?? parts.startLine;
    const endLine = citation.endLine ?? parts.endLine;
    if (startLine > endLine || startLine < parts.startLine || endLine > parts.endLine) {
      invalid.push({
        citation,
        reason: 'lines-outside-chunk',
        message: `Lines ${startLine}-${endLine} are outside chunk ${citation.chunkId} (lines ${parts.startLine}-${parts.endLine}).`,
      });
    }
  }
  return invalid;
}
