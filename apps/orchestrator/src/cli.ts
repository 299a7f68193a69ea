import { readdirSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { exitCodes, reportError } from './output/terminal.ts';

/** Shared by every command module. */
export interface CommandModule {
  /** Adds the command(s) to the program. */
  register(program: Command): void;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * Builds the program from every module in `commands/`: each file registers its own subcommand, so features add
 * commands without editing a shared list.
 */
export async function buildProgram(): Promise<Command> {
  const program = new Command('orchestrator')
    .description(
      'Turn a feature request on a git repository into a reviewed, tested pull request, by a budgeted debate between AI agents.',
    )
    .version(version(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const directory = new URL('./commands/', import.meta.url);
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const module = (await import(new URL(file, directory).href)) as Partial<CommandModule>;
    module.register?.(program);
  }
  return program;
}

/** Runs the CLI and returns the exit code (never throws). */
export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const program = await buildProgram();
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? exitCodes.ok
        : exitCodes.user;
    }
    return reportError(error, json);
  }
}
