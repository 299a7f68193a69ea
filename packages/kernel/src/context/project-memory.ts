import { createHash } from 'node:crypto';
import type { ProjectMemoryStore, ProjectNote } from '@orchestrator/spec';

/** Longest note kept; longer notes are cut, so project memory cannot crowd out a prompt. */
export const maxNoteCharacters = 2_000;

/**
 * The key of a repository in project memory: the sha256 of its normalized remote URL when it has one (clones share
 * notes), otherwise of its absolute path.
 */
export function repositoryKeyOf(repository: { remoteUrl?: string; path: string }): string {
  const normalized =
    repository.remoteUrl === undefined
      ? `path:${repository.path.replace(/\/+$/, '')}`
      : `remote:${repository.remoteUrl
          .trim()
          .toLowerCase()
          .replace(/^git@([^:]+):/, 'https://$1/')
          .replace(/^ssh:\/\/git@/, 'https://')
          .replace(/\.git$/, '')
          .replace(/\/+$/, '')}`;
  return createHash('sha256').update(normalized).digest('hex');
}

/**
 * Project memory: durable notes about one repository (its test command, conventions, pitfalls) that later runs reuse,
 * kept through the `ProjectMemoryStore` port. Working memory is the run's own turns; only what a run chooses to
 * `remember` outlives it.
 */
export class ProjectMemory {
  readonly #store: ProjectMemoryStore;
  readonly #repositoryKey: string;

  constructor(store: ProjectMemoryStore, repositoryKey: string) {
    this.#store = store;
    this.#repositoryKey = repositoryKey;
  }

  /** Writes (or replaces) a note under a stable key. */
  async remember(key: string, text: string, runId: string): Promise<void> {
    const trimmed = text.trim();
    const kept = trimmed.length > maxNoteCharacters ? `${trimmed.slice(0, maxNoteCharacters)}…` : trimmed;
    await this.#store.putNote({ repositoryKey: this.#repositoryKey, key, text: kept, runId });
  }

  async forget(key: string): Promise<boolean> {
    return this.#store.deleteNote(this.#repositoryKey, key);
  }

  /** The repository's notes, oldest first, ready for the context packer (`projectNotes`). */
  async notes(): Promise<ProjectNote[]> {
    return this.#store.listNotes(this.#repositoryKey);
  }
}
