import { statSync } from 'node:fs';
import {
  createOpenAiCompatibleEmbedder,
  defaultExcludePatterns,
  type IndexUpdateResult,
  RepositoryIndex,
  repositoryIndexPath,
} from '@orchestrator/retrieval';
import { type EmbeddingPort, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput, type Output } from '../output/terminal.ts';

/** Options shared by `index`, `search` and `map`. */
export interface IndexCommandOptions {
  repo: string;
  json?: boolean;
  maxFileKb?: number;
  exclude?: string[];
  embeddings?: boolean;
  defaultExcludes?: boolean;
}

/** Adds the file-selection and embeddings options to a command. */
export function addIndexOptions(command: Command): Command {
  addRepoOption(command);
  addJsonOption(command);
  return command
    .option(
      '--max-file-kb <kb>',
      'skip files larger than this, in KiB (default 512)',
      parsePositiveNumber('--max-file-kb'),
    )
    .option(
      '--exclude <pattern...>',
      'more gitignore-style patterns to skip (added to the vendored/generated defaults)',
    )
    .option('--no-default-excludes', 'index vendored and generated files too (credential files stay excluded)')
    .option(
      '--embeddings',
      'also embed chunks through an OpenAI-compatible endpoint (ORCHESTRATOR_EMBEDDINGS_MODEL, ORCHESTRATOR_EMBEDDINGS_BASE_URL or OPENAI_BASE_URL, OPENAI_API_KEY); off by default',
    );
}

/** Parses a positive integer option such as `-k 5`. */
export function parsePositiveInteger(name: string) {
  const parseNumber = parsePositiveNumber(name);
  return (raw: string): number => Math.max(1, Math.floor(parseNumber(raw)));
}

/** The embedder the environment configures, or undefined when embeddings are off. */
export function embedderFromEnvironment(enabled: boolean, env: NodeJS.ProcessEnv): EmbeddingPort | undefined {
  if (!enabled) return undefined;
  const model = env.ORCHESTRATOR_EMBEDDINGS_MODEL;
  if (!model) {
    throw new UserError({
      code: 'retrieval-embeddings-unconfigured',
      message: '--embeddings was given but no embedding model is configured.',
      hint: 'Set ORCHESTRATOR_EMBEDDINGS_MODEL (e.g. text-embedding-3-small) and, for a local server, ORCHESTRATOR_EMBEDDINGS_BASE_URL; or drop --embeddings (BM25 works alone).',
    });
  }
  const baseUrl = env.ORCHESTRATOR_EMBEDDINGS_BASE_URL || env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
  const apiKey = env.ORCHESTRATOR_EMBEDDINGS_API_KEY || env.OPENAI_API_KEY;
  return createOpenAiCompatibleEmbedder({ baseUrl, model, ...(apiKey ? { apiKey } : {}) });
}

/** Opens the repository's index under `<dataDir>/index/` and brings it up to date, showing progress. */
export async function openFreshIndex(
  options: IndexCommandOptions,
  output: Output,
): Promise<{
  index: RepositoryIndex;
  embedder: EmbeddingPort | undefined;
  repo: string;
  databasePath: string;
  result: IndexUpdateResult;
}> {
  const repo = repoPath(options);
  if (!statSync(repo, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError({
      code: 'retrieval-repo-missing',
      message: `${repo} is not a directory.`,
      hint: 'Pass the repository with --repo <path>, or run the command inside it.',
    });
  }
  const loaded = await loadConfig(repo, process.env);
  const embedder = embedderFromEnvironment(options.embeddings === true, loaded.env);
  const databasePath = repositoryIndexPath(loaded.dataDir, repo);
  const index = RepositoryIndex.open({
    root: repo,
    databasePath,
    selection: {
      ...(options.maxFileKb === undefined ? {} : { maxFileBytes: Math.floor(options.maxFileKb * 1024) }),
      exclude: [...(options.defaultExcludes === false ? [] : defaultExcludePatterns), ...(options.exclude ?? [])],
    },
  });
  try {
    const result = await output.progress(`Indexing ${repo}`, (update) =>
      index.update((progress) => {
        if (progress.phase === 'index') update(`${progress.done}/${progress.total} files`);
      }),
    );
    if (embedder !== undefined) {
      await output.progress(`Embedding chunks with ${embedder.modelId}`, (update) =>
        index.embedMissing(embedder, { onProgress: (done, total) => update(`${done}/${total} chunks`) }),
      );
    }
    return { index, embedder, repo, databasePath, result };
  } catch (error) {
    index.close();
    throw error;
  }
}

export function register(program: Command): void {
  const command = program
    .command('index')
    .description(
      'index the repository for retrieval: chunks by definition (tree-sitter), BM25 full-text, symbols; only changed files are re-indexed',
    );
  addIndexOptions(command);
  command.action(async (options: IndexCommandOptions) => {
    const output = createOutput(options.json === true);
    const started = performance.now();
    const { index, repo, databasePath, result } = await openFreshIndex(options, output);
    index.close();
    const summary = { repo, index: databasePath, ...result, durationMs: Math.round(performance.now() - started) };
    output.data(summary, () => {
      output.line(
        `${pc.bold('Indexed')} ${repo}: ${result.files} files, ${result.chunks} chunks ` +
          `(${result.filesIndexed} re-indexed, ${result.filesUnchanged} unchanged, ${result.filesRemoved} removed)`,
      );
      const skipped = result.skipped;
      output.line(
        pc.dim(
          `skipped: ${skipped.ignored} ignored, ${skipped.tooLarge} too large, ${skipped.binary} binary, ${skipped.generated} generated · ${databasePath}`,
        ),
      );
    });
  });
}
