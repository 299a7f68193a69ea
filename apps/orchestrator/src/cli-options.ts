import { resolve } from 'node:path';
import { UserError } from '@orchestrator/spec';
import type { Command } from 'commander';

/** Options most commands share. */
export interface CommonOptions {
  repo: string;
  json?: boolean;
}

export function addRepoOption(command: Command): Command {
  return command.option('-r, --repo <path>', 'the target git repository', process.cwd());
}

export function addJsonOption(command: Command): Command {
  return command.option('--json', 'print machine-readable JSON on stdout');
}

export function parsePositiveNumber(name: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new UserError({
        code: 'cli-invalid-option',
        message: `${name} must be a positive number, got ${JSON.stringify(raw)}.`,
        hint: `Pass e.g. ${name} 2.5`,
      });
    }
    return value;
  };
}

export function repoPath(options: { repo: string }): string {
  return resolve(options.repo);
}
