import { readFileSync } from 'node:fs';
import { parseProvenanceBlock, verifyProvenance } from '@orchestrator/forge';
import { UserError } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput, exitCodes } from '../output/terminal.ts';
import { openForge, parsePullRequestNumber } from './pr.ts';

interface VerifyOptions {
  repo: string;
  json?: boolean;
  forge?: 'local' | 'github';
  bodyFile?: string;
}

async function pullRequestBody(target: string, options: VerifyOptions): Promise<string> {
  if (options.bodyFile !== undefined) return readFileSync(options.bodyFile, 'utf8');
  const number = parsePullRequestNumber(target);
  const forge = await openForge(options);
  try {
    const pullRequest = await forge.getPullRequest(number);
    if (pullRequest === undefined) {
      throw new UserError({
        code: 'forge-pull-request-not-found',
        message: `Pull request #${number} does not exist in ${forge.repository}.`,
        hint: 'List the pull requests with `orchestrator pr list --state all`.',
      });
    }
    return pullRequest.body;
  } finally {
    await forge.close();
  }
}

export function register(program: Command): void {
  const command = program
    .command('verify-provenance')
    .description(
      "recompute the prompt and response hashes of a pull request's provenance block from the journal and report any mismatch",
    )
    .argument('<pr>', 'pull request number or URL (with --body-file: any label)')
    .option('--forge <kind>', 'force the forge: local or github (default: from configuration)')
    .option('--body-file <file>', 'read the pull request body from a file instead of the forge');
  addRepoOption(command);
  addJsonOption(command);
  command.action(async (target: string, options: VerifyOptions) => {
    const output = createOutput(options.json === true);
    const body = await pullRequestBody(target, options);
    const parsed = parseProvenanceBlock(body);
    if (!parsed.found) {
      throw new UserError({
        code: 'provenance-missing',
        message: `Pull request ${target} has no orchestrator-provenance block.`,
        hint: 'Only pull requests opened by the orchestrator carry one.',
      });
    }
    if ('error' in parsed) {
      throw new UserError({
        code: 'provenance-malformed',
        message: parsed.error,
        hint: 'The block was edited by hand or truncated.',
      });
    }
    const loaded = await loadConfig(repoPath(options), process.env);
    const journal = await openJournalStore({
      dataDir: loaded.dataDir,
      ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
    });
    try {
      const report = await verifyProvenance(parsed.provenance, journal);
      output.data(report, () => {
        if (report.ok) {
          output.line(
            `${pc.green('verified')} run ${report.runId}: ${parsed.provenance.calls.length} model calls, ${report.hashesChecked} hashes recomputed from the journal, no mismatch.`,
          );
          return;
        }
        output.line(`${pc.red('MISMATCH')} run ${report.runId}: ${report.mismatches.length} problem(s)`);
        for (const mismatch of report.mismatches) {
          const hashes = [
            mismatch.expected && `block ${mismatch.expected}`,
            mismatch.actual && `journal ${mismatch.actual}`,
          ]
            .filter(Boolean)
            .join(', ');
          output.line(`  ${mismatch.callId} ${mismatch.field}: ${mismatch.kind}${hashes ? ` (${hashes})` : ''}`);
        }
      });
      if (!report.ok) process.exitCode = exitCodes.user;
    } finally {
      await journal.close();
    }
  });
}
