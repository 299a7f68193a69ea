import { resumeRun } from '@orchestrator/kernel';
import type { Command } from 'commander';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { prepareBudgetForResume } from '../compose/budget-wiring.ts';
import { crashInjectionFrom } from '../compose/crash-injection.ts';
import { createCliRuntime } from '../compose/create-runtime.ts';
import { deliverEndedRun } from '../compose/deliver-ended-run.ts';
import { addOpenPrOptions, deliveryRequested, printDeliveredRun, withDelivery } from '../compose/delivery-cli.ts';
import { addAftermathOptions, finishRun } from '../compose/run-aftermath.ts';
import { printRunLive } from '../compose/run-printer.ts';
import { addSandboxOption, type SandboxKind } from '../compose/sandbox-choice.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput, exitCodes } from '../output/terminal.ts';

export function register(program: Command): void {
  const command = program
    .command('resume')
    .description('continue a paused or interrupted run from its journal (completed turns are not re-run)')
    .argument('<run-id>', 'the run to continue (see: orchestrator runs list)')
    .option('--max-turns <n>', 'raise the turn cap', parsePositiveNumber('--max-turns'))
    .option('--max-rejections <n>', 'raise the deadlock limit', parsePositiveNumber('--max-rejections'))
    .option(
      '--max-usd <usd>',
      'set the run budget cap to this many US dollars (continues a run paused with budget-exhausted)',
      parsePositiveNumber('--max-usd'),
    )
    .option(
      '--test-disk-quota-mb <n>',
      'raise what one test run may write into the worktree (continues a run paused with test-disk-quota)',
      parsePositiveNumber('--test-disk-quota-mb'),
    )
    .option('--no-cache', 'call the models even for requests answered before (bypass the response cache)');
  addSandboxOption(command);
  addRepoOption(command);
  addOpenPrOptions(command);
  addAftermathOptions(command);
  addJsonOption(command);
  command.action(
    async (
      runId: string,
      options: {
        repo: string;
        json?: boolean;
        maxTurns?: number;
        maxRejections?: number;
        maxUsd?: number;
        testDiskQuotaMb?: number;
        cache: boolean;
        sandbox?: SandboxKind;
        openPr?: boolean;
        forge?: 'local' | 'github';
        apply?: boolean;
        keepWorktree?: boolean;
      },
    ) => {
      const output = createOutput(options.json === true);
      const loaded = await loadConfig(repoPath(options), process.env);
      const onCheckpoint = crashInjectionFrom(loaded.env);
      const cli = await createCliRuntime({
        config: loaded.config,
        dataDir: loaded.dataDir,
        env: loaded.env,
        sandbox: options.sandbox ?? loaded.config.sandbox.kind,
        onWarning: (warning) => process.stderr.write(`warning: ${warning}\n`),
        noCache: !options.cache,
        ...(onCheckpoint === undefined ? {} : { onCheckpoint }),
      });
      try {
        if (!output.json) printRunLive(cli.bus, (line) => output.line(line));
        const changes = {
          ...(options.maxTurns === undefined ? {} : { maxTurns: Math.floor(options.maxTurns) }),
          ...(options.maxRejections === undefined ? {} : { maxRejections: Math.floor(options.maxRejections) }),
          ...(options.maxUsd === undefined ? {} : { maxUsd: options.maxUsd }),
          ...(options.testDiskQuotaMb === undefined
            ? {}
            : { testDiskQuotaBytes: Math.floor(options.testDiskQuotaMb * 1024 * 1024) }),
        };
        // Always: settles at their full amount the holds a crashed process left open; raises the cap when given.
        await prepareBudgetForResume(cli.ledger, cli.runtime.store, runId, options.maxUsd);
        // Delivery (gates, commit, pull request) continues when the run asked for it or had begun it.
        const deliver = options.openPr === true || deliveryRequested(await cli.runtime.store.read(runId));
        const runtime = withDelivery(cli.runtime, deliver, { loaded, output, forge: options.forge });
        const result = await resumeRun(runtime, runId, { by: 'cli', changes });
        // A run that converged without --open-pr is delivered now, from the commit it left on its branch.
        const late = options.openPr === true && runtime.deliver !== undefined;
        const delivered = late ? await deliverEndedRun(cli.runtime, runId, runtime.deliver!) : undefined;
        const code = await printDeliveredRun(output, cli.runtime.store, result, repoPath(options));
        if (delivered?.status === 'blocked') {
          process.stderr.write(`delivery blocked (${delivered.reason}): ${delivered.detail}\n`);
        }
        process.exitCode = await finishRun(output, result, delivered?.status === 'blocked' ? exitCodes.user : code, {
          dataDir: loaded.dataDir,
          branchPrefix: loaded.config.git.branchPrefix,
          apply: options.apply === true,
          keepWorktree: options.keepWorktree === true,
        });
      } finally {
        await cli.close();
      }
    },
  );
}
