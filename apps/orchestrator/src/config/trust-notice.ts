import { basename, dirname } from 'node:path';
import type { Output } from '../output/terminal.ts';
import type { IgnoredSetting } from './untrusted-settings.ts';
import type { TrustState } from './workspace-trust.ts';

/** What workspace trust did to a command's configuration (in `--json` output as `workspaceTrust`). */
export interface WorkspaceTrustReport {
  /** Real path of the target repository. */
  repo: string;
  /** True when the user trusts the repository with its current settings files (`orchestrator trust`). */
  trusted: boolean;
  /** `untrusted`, `trusted`, or `changed` (trusted once, but a settings file changed since). */
  state: TrustState;
  /** For `changed`: the settings files that changed since the repository was trusted. */
  changedFiles: string[];
  /** When it was trusted, if it ever was. */
  trustedAt?: string;
  /** Settings not applied (from the repository or the working directory), by key or variable name, never by value. */
  ignored: IgnoredSetting[];
  /** The command that trusts the repository. */
  trustCommand: string;
}

/** A path as a shell word (quoted only when it needs to be). */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export function trustCommandFor(directory: string): string {
  return `orchestrator trust --repo ${shellWord(directory)}`;
}

/** The plain-language notice printed on stderr when settings were ignored; empty when nothing was. */
export function formatTrustNotice(report: WorkspaceTrustReport): string {
  if (report.ignored.length === 0) return '';
  const byDirectory = new Map<string, IgnoredSetting[]>();
  for (const entry of report.ignored) {
    const directory = dirname(entry.file);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), entry]);
  }
  const lines: string[] = [];
  for (const [directory, entries] of byDirectory) {
    const changed =
      directory === report.repo && report.state === 'changed'
        ? ` (trusted on ${report.trustedAt ?? 'an earlier date'}, but ${report.changedFiles.join(', ')} changed since)`
        : '';
    lines.push(
      `warning: ${directory} is not trusted${changed}, so settings that could redirect your keys, change the sandbox or the data directory, or run code were ignored:`,
    );
    for (const entry of entries) lines.push(`  - ${basename(entry.file)}: ${entry.key} (${entry.reason})`);
    lines.push('  The rest of its configuration (roles, limits, budget) applies; your own environment always does.');
    lines.push(`  If you trust it, review those files, then run: ${trustCommandFor(directory)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The output with `workspaceTrust` added to the JSON document a command prints. */
export function withWorkspaceTrust(output: Output, report: WorkspaceTrustReport): Output {
  return {
    ...output,
    data(value, human) {
      const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
      output.data(isObject ? { ...(value as Record<string, unknown>), workspaceTrust: report } : value, human);
    },
  };
}
