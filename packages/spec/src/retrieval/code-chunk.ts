/** What a chunk covers: one definition found by the parser, or a window of lines of a file without a grammar. */
export type ChunkKind = 'function' | 'class' | 'method' | 'interface' | 'type' | 'module' | 'lines';

/** A piece of a repository file, as stored in the index and handed to a role's prompt. */
export interface CodeChunk {
  /**
   * Stable id: `<path>:<startLine>-<endLine>#<hash12>`, where `hash12` is the first 12 hex digits of the sha256 of the
   * chunk's text. Unchanged chunks keep their id across re-indexing; an edit or a line shift gives a new id.
   */
  id: string;
  /** Repository-relative path with forward slashes, e.g. `src/auth.ts`. */
  path: string;
  /** First line of the chunk, 1-based, inclusive. */
  startLine: number;
  /** Last line of the chunk, 1-based, inclusive. */
  endLine: number;
  /** What the chunk covers. */
  kind: ChunkKind;
  /** Name of the definition (`AuthService.login` for a method), or undefined for line windows. */
  symbol?: string;
  /** Language of the file, e.g. `typescript`, `python`, `text`. */
  language: string;
  /** The chunk's source text; for definitions inside a class, preceded by no extra text (see `context`). */
  text: string;
  /** Enclosing context lines (e.g. the `class AuthService {` header of a method), empty for top-level chunks. */
  context: string;
}

/** A chunk returned by a retriever, with its rank. */
export interface RetrievedChunk extends CodeChunk {
  /** Relevance score; higher is better. Comparable only within one result list. */
  score: number;
}
