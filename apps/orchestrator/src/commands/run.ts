import { debateRoleNames, startRun } from '@orchestrator/kernel';
import { type RecordedRole, UserError } from '@orchestrator/spec';
import { type ScriptedFault, scriptedFaults } from '@orchestrator/testing';
import type { Command } from 'commander';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { assertRolesPriced } from '../compose/budget-wiring.ts';
import { crashInjectionFrom } from '../compose/crash-injection.ts';
import { createCliRuntime } from '../compose/create-runtime.ts';
import { addOpenPrOptions, printDeliveredRun, withDelivery } from '../compose/delivery-cli.ts';
import { createDemoRepo } from '../compose/demo-repo.ts';
import { assertOfflineTaskPlayable, describeModels } from '../compose/offline-mode.ts';
import { redactRunInput } from '../compose/redact-run-input.ts';
import { addAftermathOptions, finishRun } from '../compose/run-aftermath.ts';
import { collectLabel, labelsOf } from '../compose/run-labels.ts';
import { printRunLive } from '../compose/run-printer.ts';
import { addSandboxOption, chooseSandbox, type SandboxKind } from '../compose/sandbox-choice.ts';
import { loadConfig } from '../config/load-config.ts';
import { debateRoles, resolveRoles } from '../config/resolve-roles.ts';
import { withWorkspaceTrust } from '../config/trust-notice.ts';
import { createOutput } from '../output/terminal.ts';

interface RunOptions {
  repo: string;
  demoRepo?: boolean;
  json?: boolean;
  maxTurns?: number;
  maxRejections?: number;
  maxUsd?: number;
  cache: boolean;
  label: string[];
  critiqueProposals?: boolean;
  sandbox?: SandboxKind;
  fault: string[];
  runId?: string;
  openPr?: boolean;
  forge?: 'local' | 'github';
  apply?: boolean;
  keepWorktree?: boolean;
}

const defaultDemoTask = 'add a README section';

function parseFault(raw: string): { role: string; fault: ScriptedFault } {
  const [role, fault] = raw.split(':');
  if (
    role === undefined ||
    fault === undefined ||
    !(debateRoleNames as readonly string[]).includes(role) ||
    !(scriptedFaults as readonly string[]).includes(fault)
  ) {
    throw new UserError({
      code: 'cli-invalid-fault',
      message: `--fault ${JSON.stringify(raw)} is not <role>:<fault>.`,
      hint: `Roles: ${debateRoleNames.join(', ')}. Faults: ${scriptedFaults.join(', ')}.`,
    });
  }
  return { role, fault: fault as ScriptedFault };
}

/** Adds injected faults to scripted bindings (`scripted-v1+planted-bug`), so they are journaled and survive a resume. */
function withFaults(roles: RecordedRole[], faults: readonly string[]): RecordedRole[] {
  const parsed = faults.map(parseFault);
  return roles.map((binding) => {
    const mine = parsed.filter((entry) => entry.role === binding.role).map((entry) => entry.fault);
    if (mine.length === 0) return binding;
    if (binding.provider !== 'scripted') {
      throw new UserError({
        code: 'cli-fault-needs-scripted',
        message: `--fault applies to the scripted model, but the ${binding.role} is bound to ${binding.provider}.`,
        hint: 'Unset the provider keys (or bind the role to provider "scripted") to inject faults.',
      });
    }
    return { ...binding, model: [binding.model, ...mine].join('+') };
  });
}

export function register(program: Command): void {
  const command = program
    .command('run')
    .description(
      'run the debate on a task in an isolated worktree, printing each turn; a failing acceptance test first and every change tested in the sandbox when the repository has tests; offline on the scripted model',
    )
    .argument('[task]', `the feature request (default with --demo-repo: "${defaultDemoTask}")`)
    .option('--demo-repo', 'create a sample git repository in a temporary directory and run there')
    .option('--max-turns <n>', 'turn cap (one turn = one role speaking)', parsePositiveNumber('--max-turns'))
    .option(
      '--max-rejections <n>',
      'deadlock rule: pause after this many non-accepts in a row',
      parsePositiveNumber('--max-rejections'),
    )
    .option(
      '--max-usd <usd>',
      'hard budget cap for the run, in US dollars (default: MAX_USD); the run pauses with budget-exhausted before passing it',
      parsePositiveNumber('--max-usd'),
    )
    .option('--no-cache', 'call the models even for requests answered before (bypass the response cache)')
    .option('--label <key=value>', 'label the run, e.g. feature=checkout (runs spend --feature)', collectLabel, [])
    .option('--critique-proposals', 'let the Critic critique each proposal before the Builder implements it')
    .option(
      '--fault <role:fault>',
      `inject a scripted-model fault (testing and demos): ${scriptedFaults.join(', ')}`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    );
  addSandboxOption(command);
  addRepoOption(command);
  command.option('--run-id <id>', 'use this run id (the console server picks it to follow the run it starts)');
  addOpenPrOptions(command);
  addAftermathOptions(command);
  addJsonOption(command);
  command.action(async (taskArgument: string | undefined, options: RunOptions) => {
    const rawTask = (taskArgument ?? (options.demoRepo ? defaultDemoTask : '')).trim();
    if (rawTask === '') {
      throw new UserError({
        code: 'cli-empty-task',
        message: 'The task is empty.',
        hint: 'Describe the change, e.g. orchestrator run "add a README section" --repo <path>, or try --demo-repo.',
      });
    }
    for (const fault of options.fault) parseFault(fault);
    // Secrets in the task or the labels are redacted before the branch, prompts, commit, PR or journal derive from them.
    const { task, labels, redactedTexts } = await redactRunInput({ task: rawTask, labels: labelsOf(options.label) });
    if (redactedTexts > 0) {
      process.stderr.write(
        'warning: the task or a label held a secret; the run uses its redacted fingerprint instead, so it reaches no branch name, prompt, commit, pull request or journal.\n',
      );
    }
    const untrustedOutput = createOutput(options.json === true);
    const repo = options.demoRepo ? createDemoRepo() : repoPath(options);
    if (options.demoRepo) untrustedOutput.line(`Sample repository created at ${repo}`);
    const loaded = await loadConfig(repo, process.env, options.maxUsd === undefined ? {} : { maxUsd: options.maxUsd });
    const output = withWorkspaceTrust(untrustedOutput, loaded.trust);
    const roles = withFaults(
      resolveRoles(loaded.config, loaded.env, [
        ...debateRoles,
        'test-writer',
        ...(options.openPr === true ? (['reviewer'] as const) : []),
      ]).map(({ role, binding }) => ({
        role,
        ...binding,
      })),
      options.fault,
    );
    // With a cap, every bound model must be priced: refused here, before anything is journaled.
    assertRolesPriced(loaded.config, roles);
    // With no key, only the scripted model's repertoire can run; anything else is refused before anything exists.
    assertOfflineTaskPlayable(roles, task);
    process.stderr.write(`${describeModels(roles)}\n`);
    const onCheckpoint = crashInjectionFrom(loaded.env);
    const sandbox = chooseSandbox({
      requested: options.sandbox,
      configured: loaded.config.sandbox.kind,
      generatedRepository: options.demoRepo === true,
    });
    if (sandbox.warning !== undefined) process.stderr.write(`warning: ${sandbox.warning}\n`);
    const cli = await createCliRuntime({
      config: loaded.config,
      dataDir: loaded.dataDir,
      env: loaded.env,
      sandbox: sandbox.kind,
      onWarning: (warning) => process.stderr.write(`warning: ${warning}\n`),
      noCache: !options.cache,
      ...(onCheckpoint === undefined ? {} : { onCheckpoint }),
    });
    try {
      if (!output.json) printRunLive(cli.bus, (line) => output.line(line));
      const runtime = withDelivery(cli.runtime, options.openPr === true, { loaded, output, forge: options.forge });
      const result = await startRun(runtime, {
        task,
        repo,
        roles,
        limits: {
          ...loaded.config.limits,
          ...(options.maxTurns === undefined ? {} : { maxTurns: Math.floor(options.maxTurns) }),
          ...(options.maxRejections === undefined ? {} : { maxRejections: Math.floor(options.maxRejections) }),
        },
        ...(loaded.config.budget.maxUsd === undefined ? {} : { maxUsd: loaded.config.budget.maxUsd }),
        ...(Object.keys(labels).length === 0 ? {} : { labels }),
        ...(options.critiqueProposals === true ? { critiqueProposals: true } : {}),
        ...(options.runId === undefined ? {} : { runId: options.runId }),
      });
      const code = await printDeliveredRun(output, cli.runtime.store, result, repo);
      process.exitCode = await finishRun(output, result, code, {
        dataDir: loaded.dataDir,
        branchPrefix: loaded.config.git.branchPrefix,
        apply: options.apply === true,
        keepWorktree: options.keepWorktree === true,
      });
    } finally {
      await cli.close();
    }
  });
}
