import { createRetriever } from '@orchestrator/retrieval';
import { UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { createOutput } from '../output/terminal.ts';
import { addIndexOptions, type IndexCommandOptions, openFreshIndex, parsePositiveInteger } from './index-command.ts';

export function register(program: Command): void {
  const command = program
    .command('search')
    .description('search the repository index (BM25, identifier-aware; fused with embeddings when --embeddings)')
    .argument('<query>', 'words or identifiers, e.g. "update src/auth.ts per policy"')
    .option('-k, --limit <count>', 'how many chunks to show', parsePositiveInteger('-k'), 8);
  addIndexOptions(command);
  command.action(async (query: string, options: IndexCommandOptions & { limit: number }) => {
    if (query.trim() === '') {
      throw new UserError({
        code: 'cli-empty-query',
        message: 'The search query is empty.',
        hint: 'Pass words or identifiers, e.g. orchestrator search "session token".',
      });
    }
    const output = createOutput(options.json === true);
    const { index, embedder } = await openFreshIndex(options, output);
    try {
      const retriever = createRetriever(index, embedder === undefined ? {} : { embedder });
      const chunks = await retriever.retrieve(query, { k: options.limit });
      output.data({ query, chunks }, () => {
        if (chunks.length === 0) output.line(pc.yellow('No chunk matches; try other words or identifiers.'));
        chunks.forEach((chunk, position) => {
          const symbol = chunk.symbol === undefined ? '' : ` ${chunk.kind} ${pc.bold(chunk.symbol)}`;
          output.line(`${position + 1}. ${pc.cyan(`${chunk.path}:${chunk.startLine}-${chunk.endLine}`)}${symbol}`);
          output.line(pc.dim(`   ${chunk.id} · score ${chunk.score.toFixed(3)}`));
          for (const line of chunk.text.split('\n').slice(0, 4)) output.line(`   │ ${line.slice(0, 116)}`);
        });
      });
    } finally {
      index.close();
    }
  });
}
