export {
  type ChunkedFile,
  type ChunkingOptions,
  chunkSourceFile,
  defaultChunkingOptions,
} from './chunking/chunk-source-file.ts';
export { identifierTerms, pathTerms, splitIdentifier } from './chunking/identifier-terms.ts';
export { languageDefinitions, languageForPath } from './chunking/language-definitions.ts';
export { type CreateRetrieverOptions, createRetriever } from './create-retriever.ts';
export { cosineSimilarity } from './embeddings/embedding-store.ts';
export {
  createOpenAiCompatibleEmbedder,
  type OpenAiCompatibleEmbedderOptions,
} from './embeddings/openai-compatible-embedder.ts';
export { pageRank } from './map/page-rank.ts';
export type { RepoMap, RepoMapDefinition, RepoMapFile, RepoMapOptions } from './map/repo-map.ts';
export { RepositoryIndex, type RepositoryIndexOptions, repositoryIndexPath } from './repository-index.ts';
export {
  type RetrievalContextOptions,
  type RetrievalContextProvider,
  type RetrievalContextSection,
  retrievalContextProvider,
} from './retrieval-context-provider.ts';
export { ftsQueryFor, queryTerms } from './search/fts-query.ts';
export { type IssueMentions, issueMentions } from './search/issue-mentions.ts';
export {
  asideKind,
  defaultRankFilesOptions,
  type RankedFile,
  type RankFilesOptions,
  rankFiles,
} from './search/rank-files.ts';
export { reciprocalRankFusion } from './search/reciprocal-rank-fusion.ts';
export type { IndexProgress, IndexUpdateResult } from './update-index.ts';
export {
  defaultExcludePatterns,
  defaultFileSelection,
  type FileSelectionOptions,
  walkRepository,
} from './walking/walk-repository.ts';
