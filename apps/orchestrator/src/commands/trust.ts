import { existsSync, statSync } from 'node:fs';
import { UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { shellWord, trustCommandFor } from '../config/trust-notice.ts';
import {
  listTrustedWorkspaces,
  revokeWorkspaceTrust,
  trustFilePath,
  trustWorkspace,
  workspacePath,
} from '../config/workspace-trust.ts';
import { createOutput } from '../output/terminal.ts';

interface TrustOptions {
  repo: string;
  list?: boolean;
  revoke?: boolean;
  json?: boolean;
}

function existingDirectory(path: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UserError({
      code: 'trust-not-a-directory',
      message: `${path} is not a directory.`,
      hint: 'Pass the repository to trust: orchestrator trust --repo <path>',
    });
  }
  return workspacePath(path);
}

function list(options: TrustOptions): void {
  const output = createOutput(options.json === true);
  const workspaces = listTrustedWorkspaces(process.env);
  output.data({ trustFile: trustFilePath(process.env), workspaces }, () => {
    if (workspaces.length === 0) {
      output.line('No trusted repositories. Trust one with: orchestrator trust --repo <path>');
      return;
    }
    for (const workspace of workspaces) {
      const files = Object.keys(workspace.record?.files ?? {}).join(', ') || 'no settings files';
      const state =
        workspace.state === 'trusted'
          ? pc.green('trusted')
          : pc.yellow(`changed since (${workspace.changedFiles.join(', ')}): untrusted until trusted again`);
      output.line(`${workspace.path}  ${state}  ${pc.dim(`${files} · since ${workspace.record?.trustedAt ?? '?'}`)}`);
    }
  });
}

function revoke(options: TrustOptions): void {
  const output = createOutput(options.json === true);
  const path = workspacePath(repoPath(options));
  const revoked = revokeWorkspaceTrust(path, process.env);
  output.data({ revoked, path }, () => {
    output.line(
      revoked
        ? `${path} is no longer trusted: its endpoints, credentials, data directory and sandbox settings are ignored again, and config modules are not imported.`
        : `${path} was not trusted; nothing changed.`,
    );
  });
}

async function trust(options: TrustOptions): Promise<void> {
  const output = createOutput(options.json === true);
  const path = existingDirectory(repoPath(options));
  // What the repository's settings would change once trusted (read untrusted: nothing is imported, nothing printed).
  const before = await loadConfig(path, process.env, { onNotice: () => {} }).catch(() => undefined);
  const record = trustWorkspace(path, process.env);
  const nowApplied = (before?.trust.ignored ?? []).filter((entry) => entry.file.startsWith(`${path}/`));
  output.data({ trusted: record, trustFile: trustFilePath(process.env), nowApplied }, () => {
    const files = Object.keys(record.files);
    output.line(
      `${pc.green('Trusted')} ${path}${files.length === 0 ? '' : ` with ${files.join(', ')} as they are now`}.`,
    );
    if (nowApplied.length > 0) {
      output.line('These settings now apply:');
      for (const entry of nowApplied) output.line(`  - ${entry.key} (${entry.reason})`);
    }
    output.line(
      pc.dim(
        `A change to ${files.length === 0 ? 'its settings files' : 'these files'} needs ${trustCommandFor(path)} again; revoke with: orchestrator trust --revoke --repo ${shellWord(path)}`,
      ),
    );
  });
}

export function register(program: Command): void {
  const command = program
    .command('trust')
    .description(
      "trust a repository's orchestrator.config.* and .env (endpoints, credentials, data directory, sandbox, config modules); recorded in your orchestrator home, bound to the files' content",
    )
    .option('--list', 'list the trusted repositories and whether their settings changed since')
    .option('--revoke', 'stop trusting the repository');
  addRepoOption(command);
  addJsonOption(command);
  command.action(async (options: TrustOptions) => {
    if (options.list === true && options.revoke === true) {
      throw new UserError({
        code: 'cli-conflicting-options',
        message: '--list and --revoke cannot be used together.',
        hint: 'Run orchestrator trust --list, or orchestrator trust --revoke --repo <path>.',
      });
    }
    if (options.list === true) list(options);
    else if (options.revoke === true) revoke(options);
    else await trust(options);
  });
}
