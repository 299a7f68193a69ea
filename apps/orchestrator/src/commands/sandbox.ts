import { existsSync, statSync } from 'node:fs';
import { createSandbox, detectTestCommand, probeBubblewrap } from '@orchestrator/sandbox';
import { type TestRunResult, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput } from '../output/terminal.ts';

function parseSandboxKind(raw: string): 'bubblewrap' | 'none' {
  if (raw === 'bubblewrap' || raw === 'none') return raw;
  throw new UserError({
    code: 'cli-invalid-option',
    message: `--sandbox must be bubblewrap or none, got ${JSON.stringify(raw)}.`,
    hint: 'Pass --sandbox none only to opt out of the sandbox on purpose.',
  });
}

function printRecord(result: TestRunResult, reason: string): void {
  const line = (text = '') => process.stdout.write(`${text}\n`);
  const passed = result.exitCode === 0;
  line(pc.bold(`${passed ? pc.green('PASS') : pc.red('FAIL')} ${result.command}`));
  line(pc.dim(`  ${reason}`));
  line(
    `  exit ${result.exitCode ?? result.signal} · ${result.durationMs} ms · sandbox ${result.sandbox}${result.killed === null ? '' : ` · killed (${result.killed})`}`,
  );
  if (result.summary !== null) {
    const { passed: ok, failed, skipped, framework } = result.summary;
    line(`  ${framework}: ${ok} passed, ${failed} failed, ${skipped} skipped`);
  }
  for (const warning of result.warnings) line(`${pc.yellow('warning')} ${warning}`);
  if (!passed) {
    const tail = `${result.stdout.text}\n${result.stderr.text}`.trim().split('\n').slice(-30).join('\n');
    line();
    line(pc.dim(tail));
  }
}

export function register(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description("check the test sandbox (bubblewrap) and run a repository's tests in it");

  addJsonOption(
    sandbox
      .command('check')
      .description('prove that bubblewrap works here: namespaces, no network, read-only host, limits enforced'),
  ).action(async (options: { json?: boolean }) => {
    const output = createOutput(options.json === true);
    const bubblewrap = probeBubblewrap();
    const worktree = process.cwd();
    const probeSandbox = createSandbox({ kind: 'bubblewrap', timeoutSeconds: 30 });
    const result = await probeSandbox.run(
      'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\\n" " "; echo; touch /usr/.orchestrator-probe 2>/dev/null && echo writable || echo read-only',
      { cwd: existsSync(worktree) && statSync(worktree).isDirectory() ? worktree : '/' },
    );
    const [interfaces = '', rootFs = ''] = result.stdout.text.trim().split('\n');
    const report = {
      available: result.exitCode === 0,
      bubblewrap: bubblewrap.path,
      version: bubblewrap.version,
      network: interfaces.trim() === 'lo' ? 'loopback only' : `interfaces: ${interfaces.trim()}`,
      hostFileSystem: rootFs.trim(),
      limits: result.limits,
      warnings: result.warnings,
    };
    output.data(report, () => {
      output.line(`${pc.green('✔')} ${report.version} at ${report.bubblewrap}`);
      output.line(`  network: ${report.network}; host file system: ${report.hostFileSystem}`);
      output.line(
        `  memory limit via ${report.limits.memory.mechanism}; process limit via ${report.limits.processes.mechanism}; wall time by killing the process tree`,
      );
      for (const warning of report.warnings) output.line(`${pc.yellow('warning')} ${warning}`);
    });
    if (!report.available) process.exitCode = 4;
  });

  const test = sandbox
    .command('test')
    .description(
      'detect the test command of a repository and run it sandboxed; exits 0 when the tests pass, 1 when they fail',
    )
    .option('--command <command>', 'run this command instead of the detected one')
    .option('--sandbox <kind>', 'bubblewrap (default) or none (explicit opt-out, unsandboxed)', parseSandboxKind)
    .option('--timeout <seconds>', 'wall-time limit', parsePositiveNumber('--timeout'));
  addRepoOption(test);
  addJsonOption(test);
  test.action(
    async (options: {
      repo: string;
      json?: boolean;
      command?: string;
      sandbox?: 'bubblewrap' | 'none';
      timeout?: number;
    }) => {
      const repo = repoPath(options);
      const output = createOutput(options.json === true);
      const loaded = await loadConfig(repo, process.env);
      const detection = detectTestCommand(repo, { configured: options.command ?? loaded.config.sandbox.testCommand });
      if (detection === undefined) {
        throw new UserError({
          code: 'test-command-not-found',
          message: `No test command found in ${repo} (no package.json test script, pytest, go.mod, Cargo.toml or Makefile test target).`,
          hint: 'Set sandbox.testCommand in orchestrator.config.*, or pass --command "<command>".',
        });
      }
      const runner = createSandbox({
        ...loaded.config.sandbox,
        ...(options.sandbox === undefined ? {} : { kind: options.sandbox }),
        ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
        hiddenPaths: [loaded.dataDir],
        onWarning: (warning) => process.stderr.write(`${pc.yellow('warning')} ${warning}\n`),
      });
      const result = await output.progress(`running ${detection.command}`, () =>
        runner.run(detection.command, { cwd: repo, framework: detection.framework }),
      );
      output.data({ detection, result }, () => printRecord(result, detection.reason));
      process.exitCode = result.exitCode === 0 ? 0 : 1;
    },
  );
}
