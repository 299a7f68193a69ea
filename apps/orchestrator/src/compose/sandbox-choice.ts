import { UserError } from '@orchestrator/spec';

/** Where tests and generated code run. */
export type SandboxKind = 'bubblewrap' | 'none';

import type { Command } from 'commander';

/** `--sandbox <kind>`: `bubblewrap` (the default) or `none`, the explicit, recorded opt-out. */
export function parseSandboxKind(raw: string): SandboxKind {
  if (raw === 'bubblewrap' || raw === 'none') return raw;
  throw new UserError({
    code: 'cli-invalid-option',
    message: `--sandbox must be bubblewrap or none, got ${JSON.stringify(raw)}.`,
    hint: 'Pass --sandbox none only to opt out of the sandbox on purpose; it is recorded in the journal and the PR.',
  });
}

/** Adds `--sandbox <kind>` to a command that runs tests. */
export function addSandboxOption(command: Command): Command {
  return command.option(
    '--sandbox <kind>',
    'where tests and generated code run: bubblewrap (default) or none (explicit opt-out: unsandboxed, warned, recorded)',
    parseSandboxKind,
  );
}
