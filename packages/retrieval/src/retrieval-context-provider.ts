import { type RetrievedChunk, renderChunkForPrompt } from '@orchestrator/spec';
import type { RepoMap } from './map/repo-map.ts';
import type { RepositoryIndex } from './repository-index.ts';

/** A section of prompt context; structurally the kernel's `ContextSection`. */
export interface RetrievalContextSection {
  title: string;
  text: string;
  /** Set on retrieved chunks: the id the Builder cites. */
  chunkId?: string;
}

/** Options of the retrieval context provider. */
export interface RetrievalContextOptions {
  /** Chunks per turn (default 8). */
  k?: number;
  /** Token budget of the repository map section; 0 leaves the map out (default 512). */
  mapTokens?: number;
  /** Retrieves instead of the index's own BM25 search (e.g. `createRetriever(index, { embedder })`). */
  retrieve?: (query: string, options: { k: number }) => Promise<RetrievedChunk[]>;
}

/** Context for one turn; the ids a turn may cite are the `chunkId`s of the sections it got. */
export type RetrievalContextProvider = (input: {
  task: string;
  plannedFiles: readonly string[];
}) => Promise<RetrievalContextSection[]>;

/**
 * A context provider for the kernel's prompt builder: refreshes the index (incremental, so the worktree's edits are
 * seen), retrieves the chunks for the task and the planned files, and adds the repo map focused on those files.
 * Each chunk section carries its `chunkId` and shows its lines numbered as in the file.
 */
export function retrievalContextProvider(
  index: RepositoryIndex,
  options: RetrievalContextOptions = {},
): RetrievalContextProvider {
  const k = options.k ?? 8;
  const mapTokens = options.mapTokens ?? 512;
  const retrieve =
    options.retrieve ?? (async (query: string, retrieveOptions: { k: number }) => index.search(query, retrieveOptions));
  let revision = 0;
  let cachedMap: { key: string; map: RepoMap } | undefined;
  return async (input) => {
    const update = await index.update();
    if (update.filesIndexed + update.filesRemoved > 0) revision += 1;
    const chunks = await retrieve([input.task, ...input.plannedFiles].join('\n'), { k });
    const sections: RetrievalContextSection[] = [];
    if (mapTokens > 0) {
      const key = `${revision}\n${input.plannedFiles.join('\n')}`;
      if (cachedMap?.key !== key) {
        cachedMap = { key, map: index.repoMap({ tokens: mapTokens, focusPaths: input.plannedFiles }) };
      }
      if (cachedMap.map.text !== '')
        sections.push({ title: 'Repository map (ranked definitions)', text: cachedMap.map.text });
    }
    for (const chunk of chunks) {
      sections.push({
        title: `${chunk.path}:${chunk.startLine}-${chunk.endLine}${chunk.symbol === undefined ? '' : ` ${chunk.symbol}`}`,
        text: renderChunkForPrompt(chunk),
        chunkId: chunk.id,
      });
    }
    return sections;
  };
}
