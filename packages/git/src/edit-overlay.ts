import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SystemError } from '@orchestrator/spec';

/** The content of a path in the overlay: absent, or a regular file with its bytes and permission bits. */
export type FileState = { kind: 'absent' } | { kind: 'file'; bytes: Buffer; mode: number };

interface Entry {
  absolutePath: string;
  original: FileState;
  current: FileState;
}

function sameState(first: FileState, second: FileState): boolean {
  if (first.kind === 'absent' || second.kind === 'absent') return first.kind === second.kind;
  return first.mode === second.mode && first.bytes.equals(second.bytes);
}

/**
 * An in-memory layer over the worktree: edits read and write it, and nothing reaches the disk until `commit`, which
 * writes every change or (rolling back what it did) none of them.
 */
export class EditOverlay {
  readonly #entries = new Map<string, Entry>();

  /** Current state of a path (canonical, relative), read from disk the first time. */
  async read(canonicalPath: string, absolutePath: string): Promise<FileState> {
    const entry = this.#entries.get(canonicalPath);
    if (entry !== undefined) return entry.current;
    let state: FileState;
    try {
      const [bytes, info] = await Promise.all([readFile(absolutePath), stat(absolutePath)]);
      state = { kind: 'file', bytes, mode: info.mode & 0o7777 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      state = { kind: 'absent' };
    }
    this.#entries.set(canonicalPath, { absolutePath, original: state, current: state });
    return state;
  }

  /** Sets the state of a path that was `read` before. */
  write(canonicalPath: string, state: FileState): void {
    const entry = this.#entries.get(canonicalPath);
    if (entry === undefined) throw new Error(`overlay: ${canonicalPath} was written before being read`);
    entry.current = state;
  }

  /** The files the batch would write (changed and present after it), with their sizes, before `commit`. */
  pendingFiles(): Array<{ canonicalPath: string; bytes: number; bytesBefore: number }> {
    return [...this.#entries.entries()].flatMap(([canonicalPath, entry]) =>
      entry.current.kind === 'file' && !sameState(entry.original, entry.current)
        ? [
            {
              canonicalPath,
              bytes: entry.current.bytes.length,
              bytesBefore: entry.original.kind === 'file' ? entry.original.bytes.length : 0,
            },
          ]
        : [],
    );
  }

  /** Writes all changes to disk atomically per batch: temporary files first, then renames; rolls back on failure. */
  async commit(): Promise<void> {
    const changes = [...this.#entries.values()].filter((entry) => !sameState(entry.original, entry.current));
    const temporaryFiles = new Map<Entry, string>();
    const createdDirectories: Array<{ deepest: string; top: string }> = [];
    const done: Entry[] = [];
    try {
      for (const entry of changes) {
        if (entry.current.kind !== 'file') continue;
        const directory = path.dirname(entry.absolutePath);
        const created = await mkdir(directory, { recursive: true });
        if (created !== undefined) createdDirectories.push({ deepest: directory, top: created });
        const temporary = path.join(
          directory,
          `.${path.basename(entry.absolutePath)}.orchestrator-${randomBytes(6).toString('hex')}.tmp`,
        );
        await writeFile(temporary, entry.current.bytes, { flag: 'wx', mode: entry.current.mode });
        await chmod(temporary, entry.current.mode);
        temporaryFiles.set(entry, temporary);
      }
      for (const entry of changes) {
        const temporary = temporaryFiles.get(entry);
        if (temporary !== undefined) {
          await rename(temporary, entry.absolutePath);
          temporaryFiles.delete(entry);
        } else {
          await unlink(entry.absolutePath);
        }
        done.push(entry);
      }
    } catch (error) {
      await this.#rollBack(done, temporaryFiles, createdDirectories);
      throw new SystemError({
        code: 'edit-write-failed',
        message: `writing the edits failed and was rolled back: ${(error as Error).message}`,
        hint: 'Check the permissions and free space of the worktree, then retry.',
        cause: error,
      });
    }
  }

  async #rollBack(
    done: Entry[],
    temporaryFiles: Map<Entry, string>,
    createdDirectories: Array<{ deepest: string; top: string }>,
  ): Promise<void> {
    for (const entry of done.reverse()) {
      if (entry.original.kind === 'file') {
        await writeFile(entry.absolutePath, entry.original.bytes).catch(() => {});
        await chmod(entry.absolutePath, entry.original.mode).catch(() => {});
      } else {
        await unlink(entry.absolutePath).catch(() => {});
      }
    }
    for (const temporary of temporaryFiles.values()) await unlink(temporary).catch(() => {});
    for (const { deepest, top } of createdDirectories.reverse()) {
      for (let directory = deepest; ; directory = path.dirname(directory)) {
        await rmdir(directory).catch(() => {});
        if (directory === top || directory === path.dirname(directory)) break;
      }
    }
  }
}
