/** A durable note about a repository that later runs reuse (conventions, commands, pitfalls). */
export interface ProjectNote {
  /** Repository key (e.g. the sha256 of its root commit or normalized remote URL). */
  repositoryKey: string;
  /** Stable key within the repository, e.g. `test-command`; writing the same key replaces the note. */
  key: string;
  /** The note, in plain text. */
  text: string;
  /** The run that wrote it. */
  runId: string;
  /** ISO 8601 time of the last write. */
  updatedAt: string;
}

/** Project memory port, version 1: notes per repository, kept across runs. */
export interface ProjectMemoryStore {
  readonly specificationVersion: 'v1';
  /** Writes (or replaces) a note. */
  putNote(note: Omit<ProjectNote, 'updatedAt'>): Promise<void>;
  /** The repository's notes, oldest first. */
  listNotes(repositoryKey: string): Promise<ProjectNote[]>;
  /** Deletes a note; false when it did not exist. */
  deleteNote(repositoryKey: string, key: string): Promise<boolean>;
  close(): Promise<void>;
}
