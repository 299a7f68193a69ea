import { type RetrievedChunk, renderChunkForPrompt } from '@orchestrator/spec';
import type { RepoMap } from './map/repo-map.ts';
import type { RepositoryIndex } from './repository-index.ts';
import type { RankedFile } from './search/rank-files.ts';

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
  /** Files ranked per turn; their best chunks fill the `k` chunks first (default 5). */
  files?: number;
  /** Retrieves instead of the index's own file ranking (e.g. `createRetriever(index, { embedder })`). */
  retrieve?: (query: string, options: { k: number }) => Promise<RetrievedChunk[]>;
}

/** Context for one turn; the ids a turn may cite are the `chunkId`s of the sections it got. */
export type RetrievalContextProvider = (input: {
  task: string;
  plannedFiles: readonly string[];
}) => Promise<RetrievalContextSection[]>;

/**
 * The ranked files' best chunks: up to three of the first file, two of the second, one of each further file, then
 * further chunks in rank order; topped up by chunk search.
 */
function chunksOfRankedFiles(
  index: RepositoryIndex,
  query: string,
  ranked: readonly RankedFile[],
  k: number,
): RetrievedChunk[] {
  const chosen = new Map<string, RetrievedChunk>();
  const take = (file: RankedFile, count: number) => {
    for (const id of file.chunkIds.slice(0, count)) {
      const chunk = chosen.size < k && !chosen.has(id) ? index.database.chunkById(id) : undefined;
      if (chunk !== undefined) chosen.set(chunk.id, { ...chunk, score: file.score });
    }
  };
  for (const [position, file] of ranked.entries()) take(file, position === 0 ? 3 : position === 1 ? 2 : 1);
  for (const file of ranked) take(file, 3);
  if (chosen.size < k) {
    for (const chunk of index.search(query, { k: k * 2 })) {
      if (chosen.size >= k) break;
      if (!chosen.has(chunk.id)) chosen.set(chunk.id, chunk);
    }
  }
  return [...chosen.values()];
}

/** The prompt section that says which files were ranked for the task and why. */
export function renderRankedFiles(ranked: readonly RankedFile[]): string {
  return ranked
    .map((file, position) => `${position + 1}. ${file.path} (${file.reasons.join('; ') || 'text match'})`)
    .join('\n');
}

/**
 * A context provider for the kernel's prompt builder: refreshes the index (incremental, so the worktree's edits are
 * seen), ranks files for the task and the planned files (`rankFiles`), shows which files ranked and why, gives their
 * best chunks, and adds the repo map focused on the planned files.
 * Each chunk section carries its `chunkId` and shows its lines numbered as in the file.
 */
export function retrievalContextProvider(
  index: RepositoryIndex,
  options: RetrievalContextOptions = {},
): RetrievalContextProvider {
  const k = options.k ?? 8;
  const mapTokens = options.mapTokens ?? 512;
  const fileCount = options.files ?? 5;
  let revision = 0;
  let cachedMap: { key: string; map: RepoMap } | undefined;
  return async (input) => {
    const update = await index.update();
    if (update.filesIndexed + update.filesRemoved > 0) revision += 1;
    const query = [input.task, ...input.plannedFiles].join('\n');
    const ranked = options.retrieve === undefined ? index.rankFiles(query, { k: fileCount }) : [];
    const chunks =
      options.retrieve === undefined
        ? chunksOfRankedFiles(index, query, ranked, k)
        : await options.retrieve(query, { k });
    const sections: RetrievalContextSection[] = [];
    if (mapTokens > 0) {
      const key = `${revision}\n${input.plannedFiles.join('\n')}`;
      if (cachedMap?.key !== key) {
        cachedMap = { key, map: index.repoMap({ tokens: mapTokens, focusPaths: input.plannedFiles }) };
      }
      if (cachedMap.map.text !== '')
        sections.push({ title: 'Repository map (ranked definitions)', text: cachedMap.map.text });
    }
    if (ranked.length > 0) {
      sections.push({ title: 'Files ranked for this task (best first, with why)', text: renderRankedFiles(ranked) });
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
