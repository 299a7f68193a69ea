import { createHash } from 'node:crypto';
import { formatChunkId } from '@orchestrator/spec';

/** The stable id of a chunk: path, line range and the first 12 hex digits of the sha256 of its text. */
export function chunkIdFor(path: string, startLine: number, endLine: number, text: string): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return formatChunkId({ path, startLine, endLine, hash });
}
