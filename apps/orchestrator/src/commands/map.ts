import type { Command } from 'commander';
import { createOutput } from '../output/terminal.ts';
import { addIndexOptions, type IndexCommandOptions, openFreshIndex, parsePositiveInteger } from './index-command.ts';

export function register(program: Command): void {
  const command = program
    .command('map')
    .description(
      'print the repository map: definitions ranked by PageRank over the reference graph, within a token budget',
    )
    .option('--tokens <count>', 'token budget of the map', parsePositiveInteger('--tokens'), 1024)
    .option('--focus <path...>', 'files the task is about; their neighbourhood ranks higher');
  addIndexOptions(command);
  command.action(async (options: IndexCommandOptions & { tokens: number; focus?: string[] }) => {
    const output = createOutput(options.json === true);
    const { index } = await openFreshIndex(options, output);
    try {
      const map = index.repoMap({
        tokens: options.tokens,
        ...(options.focus === undefined ? {} : { focusPaths: options.focus }),
      });
      output.data(map, () => {
        process.stdout.write(map.text === '' ? 'No definitions indexed.\n' : map.text);
      });
    } finally {
      index.close();
    }
  });
}
