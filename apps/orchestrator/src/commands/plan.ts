import { PriceTable } from '@orchestrator/providers';
import { detectTestCommand } from '@orchestrator/sandbox';
import { UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { redactRunInput } from '../compose/redact-run-input.ts';
import { loadConfig } from '../config/load-config.ts';
import { debateRoles, resolveRoles } from '../config/resolve-roles.ts';
import { withWorkspaceTrust } from '../config/trust-notice.ts';
import { createOutput } from '../output/terminal.ts';
import { buildDryRunPlan, type DryRunPlan } from '../plan/dry-run-plan.ts';

function printPlan(plan: DryRunPlan): void {
  const line = (text = '') => process.stdout.write(`${text}\n`);
  line(pc.bold(`Plan for: ${plan.task}`));
  line(pc.dim(`repository ${plan.repo} · branch ${plan.git.branch} · forge ${plan.git.forge}`));
  line();
  line(pc.bold('Roles'));
  for (const role of plan.roles) {
    const share = role.budgetShareUsd === null ? '' : ` · budget $${role.budgetShareUsd}`;
    line(
      `  ${role.role.padEnd(12)} ${role.provider}/${role.model} (${role.source}, max ${role.maxOutputTokens} output tokens${role.priced ? '' : ', UNPRICED'})${share}`,
    );
  }
  line();
  line(pc.bold('Loop'));
  line(`  ${plan.loop.order.join(' → ')} — repeated until converged`);
  line(`  converged = latest implementation verified, no open high/critical risk, critic accepts`);
  line();
  line(pc.bold('Stop rules (each pauses the run with a reason)'));
  for (const rule of plan.stopRules) line(`  - ${rule}`);
  line();
  line(pc.bold('Gates'));
  for (const gate of plan.gates) line(`  - ${gate.name}: ${gate.detail}`);
  line();
  line(pc.bold('Estimated cost'));
  line(`  $${plan.estimate.lowUsd} – $${plan.estimate.highUsd}  ${pc.dim(`(${plan.estimate.assumptions})`)}`);
  if (plan.warnings.length > 0) {
    line();
    for (const warning of plan.warnings) line(`${pc.yellow('warning')} ${warning}`);
  }
  line();
  line(pc.dim('Dry run: no model was called and nothing was written.'));
}

export function register(program: Command): void {
  const command = program
    .command('plan')
    .description('print the planned debate loop for a task (roles and models, limits, gates, budget split, cost range)')
    .argument('<task>', 'the feature request, e.g. "add a README section"')
    .option('--dry-run', 'plan only; never call a model (the only mode for now)', true)
    .option('--max-usd <usd>', 'budget cap for the run, in US dollars', parsePositiveNumber('--max-usd'));
  addRepoOption(command);
  addJsonOption(command);
  command.action(async (task: string, options: { repo: string; json?: boolean; maxUsd?: number }) => {
    if (task.trim() === '') {
      throw new UserError({
        code: 'cli-empty-task',
        message: 'The task is empty.',
        hint: 'Describe the change, e.g. orchestrator plan "add a README section".',
      });
    }
    const repo = repoPath(options);
    const loaded = await loadConfig(repo, process.env, options.maxUsd === undefined ? {} : { maxUsd: options.maxUsd });
    const output = withWorkspaceTrust(createOutput(options.json === true), loaded.trust);
    // The plan prints the task and the branch name derived from it: a secret in the task is redacted first.
    const plan = buildDryRunPlan({
      task: (await redactRunInput({ task: task.trim(), labels: {} })).task,
      repo,
      config: loaded.config,
      roles: resolveRoles(loaded.config, loaded.env, [...debateRoles, 'test-writer', 'reviewer']),
      prices: PriceTable.bundled(loaded.config.prices),
      tests: detectTestCommand(repo, { configured: loaded.config.sandbox.testCommand }),
    });
    output.data(plan, () => printPlan(plan));
  });
}
