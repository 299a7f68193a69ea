/**
 * An edit the Builder asks for. Paths are relative to the worktree root, with forward slashes.
 * Search/replace blocks are the preferred form (robust to line drift); unified diffs are accepted too.
 */
export type FileEdit =
  | {
      /** Replace the first occurrence of `search` in `path` with `replace`. An empty `search` on a missing file creates it. */
      kind: 'search-replace';
      path: string;
      search: string;
      replace: string;
    }
  | {
      /** A unified diff (`--- a/x` / `+++ b/x` / `@@` hunks); may touch several files, create and delete them. */
      kind: 'unified-diff';
      diff: string;
    }
  | {
      /** Create a new file (fails if it exists, unless `overwrite`). */
      kind: 'create';
      path: string;
      content: string;
      overwrite?: boolean;
    }
  | {
      /** Delete a file. */
      kind: 'delete';
      path: string;
    }
  | {
      /** Rename (move) a file. */
      kind: 'rename';
      from: string;
      to: string;
    };

/** The strategy that made an edit apply, from strictest to loosest. */
export type ApplyStrategy = 'exact' | 'whitespace-tolerant' | 'anchored-fuzzy' | 'create' | 'delete' | 'rename';

/** Why one edit did not apply: precise enough for the Builder to retry. */
export interface EditFailure {
  /** Index of the edit in the request. */
  editIndex: number;
  /** File concerned. */
  path: string;
  /** Stable reason code. */
  reason:
    | 'no-match'
    | 'ambiguous-match'
    | 'file-missing'
    | 'file-exists'
    | 'outside-worktree'
    | 'forbidden-path'
    | 'malformed-diff'
    | 'binary-file'
    | 'too-large';
  /** Human explanation. */
  message: string;
  /** For diffs: the 1-based hunk number that failed. */
  hunk?: number;
  /** The first line of the expected text that diverges from the file, with its line number in the file, if found. */
  firstDivergingLine?: { expected: string; actual: string; line: number };
  /** The closest region of the file to the expected text, to show the Builder what is really there. */
  closestMatch?: { startLine: number; text: string; similarity: number };
}

/** Result of applying a batch of edits: all apply, or none are written (atomic per batch). */
export type ApplyResult =
  | { ok: true; applied: Array<{ editIndex: number; path: string; strategy: ApplyStrategy }> }
  | { ok: false; failures: EditFailure[] };
