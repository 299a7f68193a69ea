import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * Creates a directory only its owner can list and enter (0700), or tightens one whose permissions drifted: the data
 * directory holds the journal, the budget, the response cache, the forge and the index databases and the API token.
 */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o700);
}
