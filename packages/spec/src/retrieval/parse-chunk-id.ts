/** The parts of a chunk id `<path>:<startLine>-<endLine>#<hash12>`. */
export interface ChunkIdParts {
  /** Repository-relative path. */
  path: string;
  /** First line, 1-based. */
  startLine: number;
  /** Last line, 1-based, inclusive. */
  endLine: number;
  /** Hex digits of the content hash. */
  hash: string;
}

const chunkIdPattern = /^(.+):(\d+)-(\d+)#([0-9a-f]{6,64})$/;

/** Builds a chunk id from its parts. */
export function formatChunkId(parts: ChunkIdParts): string {
  return `${parts.path}:${parts.startLine}-${parts.endLine}#${parts.hash}`;
}

/** Parses a chunk id, or returns undefined when it is not of the form `<path>:<start>-<end>#<hash>`. */
export function parseChunkId(id: string): ChunkIdParts | undefined {
  const match = chunkIdPattern.exec(id);
  if (match === null) return undefined;
  const startLine = Number(match[2]);
  const endLine = Number(match[3]);
  if (startLine < 1 || endLine < startLine) return undefined;
  return { path: match[1]!, startLine, endLine, hash: match[4]! };
}
