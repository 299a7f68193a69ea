import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory holding the given files; `remove()` deletes it. */
export function fixtureRepository(files: Record<string, string | Buffer>): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'retrieval-test-'));
  writeFiles(root, files);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}
