import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type ContextProvider, type ContextSection, workspaceContextProvider } from '@orchestrator/kernel';
import {
  createRetriever,
  RepositoryIndex,
  type RetrievalContextProvider,
  repositoryIndexPath,
  retrievalContextProvider,
} from '@orchestrator/retrieval';
import type { Config } from '@orchestrator/spec';
import { embedderFromEnvironment } from '../commands/index-command.ts';

/** The retrieve-then-prompt wiring of a CLI runtime. */
export interface RetrievalWiring {
  /** Workspace context (file list, planned files) followed by the repo map and the retrieved chunks of the turn. */
  contextProvider: ContextProvider;
  /** Closes every index this runtime opened. */
  close(): void;
}

/**
 * The main checkout of a run's worktree (git's common directory is `<checkout>/.git`), whose index seeds the
 * worktree's; undefined when it cannot be told (then the worktree is indexed from scratch).
 */
export function mainCheckoutOf(worktree: string): string | undefined {
  try {
    const commonDirectory = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: worktree,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return basename(commonDirectory) === '.git' ? dirname(commonDirectory) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Retrieval for every turn: the worktree's index lives at `repositoryIndexPath(dataDir, worktree)`, seeded from the
 * main checkout's index (built by `orchestrator index`) so only files that differ are chunked; each turn refreshes it
 * incrementally (the Builder's edits are seen) and adds `config.retrieval.k` chunks with their ids and the repo map to
 * the workspace context. An index that cannot be opened or read costs the run its retrieval, not the run: the turn
 * gets the workspace context and `onWarning` is told once. Undefined when `config.retrieval.enabled` is false.
 */
export function createRetrievalWiring(options: {
  config: Config;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  onWarning?: ((warning: string) => void) | undefined;
}): RetrievalWiring | undefined {
  const settings = options.config.retrieval;
  if (!settings.enabled) return undefined;
  const embedder = embedderFromEnvironment(settings.embeddings, options.env);
  const workspaceContext = workspaceContextProvider();
  const opened = new Map<string, { index: RepositoryIndex; provider: RetrievalContextProvider }>();
  let warned = false;

  const providerFor = (root: string) => {
    const existing = opened.get(root);
    if (existing !== undefined) return existing.provider;
    const main = mainCheckoutOf(root);
    const seed = main === undefined ? undefined : repositoryIndexPath(options.dataDir, main);
    const index = RepositoryIndex.open({
      root,
      databasePath: repositoryIndexPath(options.dataDir, root),
      ...(seed !== undefined && existsSync(seed) ? { seedFrom: seed } : {}),
    });
    const retriever = embedder === undefined ? undefined : createRetriever(index, { embedder });
    const provider = retrievalContextProvider(index, {
      k: settings.k,
      mapTokens: settings.mapTokens,
      ...(retriever === undefined || embedder === undefined
        ? {}
        : {
            retrieve: async (query: string, retrieveOptions: { k: number }) => {
              await index.embedMissing(embedder);
              return retriever.retrieve(query, retrieveOptions);
            },
          }),
    });
    opened.set(root, { index, provider });
    return provider;
  };

  const contextProvider: ContextProvider = async (input) => {
    const sections: ContextSection[] = await workspaceContext(input);
    try {
      const retrieved = await providerFor(input.workspace.root)({
        task: input.task,
        plannedFiles: input.plannedFiles,
      });
      return [...sections, ...retrieved];
    } catch (error) {
      if (!warned) {
        warned = true;
        const reason = error instanceof Error ? error.message : String(error);
        options.onWarning?.(`retrieval is off for this run: the repository index failed (${reason})`);
      }
      return sections;
    }
  };

  return {
    contextProvider,
    close: () => {
      for (const { index } of opened.values()) index.close();
      opened.clear();
    },
  };
}
