import { randomUUID } from 'node:crypto';
import {
  createModel,
  createModelPricing,
  type PingOutcome,
  PriceTable,
  pingModel,
  pingRequest,
} from '@orchestrator/providers';
import type { Config, JournalStore, NewJournalEvent, RoleBinding } from '@orchestrator/spec';
import { parseJournalEventData } from '@orchestrator/spec';
import { bundledTextExchange, type ReplayServer, startReplayServer } from '@orchestrator/testing/replay-server/index';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { openRuntimeJournalStore } from '../compose/create-runtime.ts';
import { loadConfig } from '../config/load-config.ts';
import { resolveRoles } from '../config/resolve-roles.ts';
import { sanitizeTerminalText } from '../output/sanitize-terminal-text.ts';
import { createOutput } from '../output/terminal.ts';

type Vendor = 'anthropic' | 'openai';

interface PingTarget {
  vendor: Vendor;
  binding: RoleBinding;
  /** `api` with the user's key (or OPENAI_BASE_URL), `replay` against the local replay server. */
  source: 'api' | 'replay';
  /** Why the replay server was used. */
  reason?: string;
  /** Where the call goes (base URL, or the vendor's default API). */
  endpoint: string;
}

export interface PingReport {
  runId: string;
  dataDir: string;
  replayServer?: string;
  results: Array<PingOutcome & { source: 'api' | 'replay'; reason?: string; endpoint: string }>;
  totalCostUsd: number;
}

const defaultModels: Record<Vendor, string> = { anthropic: 'claude-sonnet-4-6', openai: 'gpt-5' };

/** One target per vendor: the model a role is bound to (first match), else the default; real API when a key is set. */
function pingTargets(config: Config, env: NodeJS.ProcessEnv): PingTarget[] {
  const roles = resolveRoles(config, env);
  return (['anthropic', 'openai'] as const).map((vendor) => {
    const bound = roles.find((role) => role.binding.provider === vendor)?.binding;
    const binding: RoleBinding = bound ?? { provider: vendor, model: defaultModels[vendor], maxOutputTokens: 4096 };
    const live =
      vendor === 'anthropic' ? Boolean(env.ANTHROPIC_API_KEY) : Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
    const endpoint =
      vendor === 'anthropic'
        ? (config.providers.anthropic?.baseUrl ?? (env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com'))
        : (config.providers.openai?.baseUrl ?? (env.OPENAI_BASE_URL || 'https://api.openai.com/v1'));
    return live
      ? { vendor, binding, source: 'api', endpoint }
      : {
          vendor,
          binding,
          source: 'replay',
          endpoint: 'replay server',
          reason: vendor === 'anthropic' ? 'no ANTHROPIC_API_KEY' : 'no OPENAI_API_KEY or OPENAI_BASE_URL',
        };
  });
}

/** The spend as a run in the journal: run-start, one step per provider with model-call-start/-end, run-end. */
async function journalPing(store: JournalStore, runId: string, repo: string, config: Config, report: PingReport) {
  await store.createRun(runId, { kind: 'providers-ping' });
  const event = (type: string, data: unknown, stepId?: string): NewJournalEvent => ({
    type,
    data: parseJournalEventData(type as Parameters<typeof parseJournalEventData>[0], data),
    ...(stepId === undefined ? {} : { stepId }),
  });
  const events: NewJournalEvent[] = [
    event('run-start', {
      task: 'providers ping',
      repo,
      slug: 'providers-ping',
      labels: { kind: 'providers-ping' },
      roles: report.results.map((result) => ({
        role: 'ping',
        provider: result.provider,
        model: result.requestedModel,
      })),
      limits: config.limits,
    }),
  ];
  const requestSha256 = await store.putBlob(JSON.stringify(pingRequest));
  for (const [index, result] of report.results.entries()) {
    const stepId = `ping-${result.provider}`;
    const callId = `${runId}-${result.provider}`;
    events.push(event('step-start', { role: 'ping', turn: index + 1, kind: 'ping' }, stepId));
    events.push(
      event(
        'model-call-start',
        {
          callId,
          role: 'ping',
          provider: result.provider,
          model: result.requestedModel,
          requestSha256,
          maxOutputTokens: pingRequest.maxOutputTokens,
          reservedUsd: result.reservedUsd,
        },
        stepId,
      ),
    );
    if (result.ok) {
      const responseSha256 = await store.putBlob(JSON.stringify({ text: result.text, usage: result.usage }));
      events.push(
        event(
          'model-call-end',
          {
            callId,
            role: 'ping',
            provider: result.provider,
            model: result.modelId,
            responseSha256,
            usage: result.usage,
            costUsd: result.costUsd ?? 0,
            cached: false,
            durationMs: result.durationMs,
          },
          stepId,
        ),
      );
    } else {
      const { code, kind, message } = result.error;
      events.push(event('model-call-error', { callId, code, kind, message }, stepId));
    }
    events.push(event('step-end', { status: result.ok ? 'ok' : 'failed' }, stepId));
  }
  const allOk = report.results.every((result) => result.ok);
  events.push(event('run-end', { status: allOk ? 'converged' : 'failed' }));
  await store.append(runId, events, { expectedLastSeq: 0 });
}

function printReport(report: PingReport): void {
  // Ping replies are model text: stripped of control sequences before they reach the terminal.
  const line = (text = '') => process.stdout.write(`${sanitizeTerminalText(text)}\n`);
  if (report.replayServer !== undefined) {
    line(pc.yellow(`No key for some providers: those calls go to the local replay server at ${report.replayServer}`));
    line(pc.dim('  (recorded real replies, no network, no cost to you; set the API keys to ping the real APIs)'));
  }
  for (const result of report.results) {
    const via = pc.dim(result.source === 'replay' ? ` [replay: ${result.reason}]` : ` [${result.endpoint}]`);
    if (!result.ok) {
      line(`${pc.red('✘')} ${result.provider.padEnd(10)} ${result.requestedModel}  ${result.error.message}${via}`);
      if (result.error.hint !== undefined) line(`  ${pc.cyan('→')} ${result.error.hint}`);
      continue;
    }
    const cost = result.costUsd === null ? 'unpriced' : `$${result.costUsd.toFixed(6)}`;
    const reasoning = (result.usage.reasoningTokens ?? 0) > 0 ? ` (reasoning ${result.usage.reasoningTokens})` : '';
    const cache =
      result.usage.cacheReadTokens + result.usage.cacheWriteTokens > 0
        ? `, cache read ${result.usage.cacheReadTokens} / write ${result.usage.cacheWriteTokens}`
        : '';
    line(
      `${pc.green('✔')} ${result.provider.padEnd(10)} ${result.modelId}  input ${result.usage.inputTokens} / output ${result.usage.outputTokens}${reasoning} tokens${cache}  ${cost}  ${Math.round(result.durationMs)} ms${via}`,
    );
  }
  line(
    pc.dim(
      `Spend $${report.totalCostUsd.toFixed(6)} recorded in the journal as run ${report.runId} (${report.dataDir}).`,
    ),
  );
}

export function register(program: Command): void {
  const providers = program.command('providers').description('model providers: check keys, models and prices');
  const ping = providers
    .command('ping')
    .description(
      'one small call per provider (Anthropic, OpenAI or OPENAI_BASE_URL) printing model id, tokens and cost; the spend is journaled. Without keys it uses the local replay server and says so.',
    );
  addRepoOption(ping);
  addJsonOption(ping);
  ping.action(async (options: { repo: string; json?: boolean }) => {
    const repo = repoPath(options);
    const output = createOutput(options.json === true);
    const loaded = await loadConfig(repo, process.env);
    const targets = pingTargets(loaded.config, loaded.env);
    const pricing = createModelPricing(PriceTable.bundled(loaded.config.prices));
    let server: ReplayServer | undefined;
    // The same factory as every command: the ping's journaled calls are redacted before they are stored.
    const store = await openRuntimeJournalStore({
      dataDir: loaded.dataDir,
      ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
    });
    try {
      const replayed = targets.filter((target) => target.source === 'replay');
      if (replayed.length > 0) {
        server = await startReplayServer({
          mode: 'match',
          // OpenAI is pinged on the Responses API, the default for OpenAI's own models.
          exchanges: replayed.map((target) =>
            bundledTextExchange(target.vendor === 'openai' ? 'openai-responses' : target.vendor),
          ),
        });
      }
      const results: PingReport['results'] = [];
      await output.progress('Pinging providers', async (update) => {
        for (const target of targets) {
          update(`${target.vendor} ${target.binding.model}`);
          const env =
            target.source === 'api'
              ? loaded.env
              : target.vendor === 'anthropic'
                ? { ANTHROPIC_API_KEY: 'replay-no-key', ANTHROPIC_BASE_URL: server!.url }
                : { OPENAI_API_KEY: 'replay-no-key', OPENAI_BASE_URL: `${server!.url}/v1` };
          const settings: Config['providers'] =
            target.source === 'api'
              ? loaded.config.providers
              : { openai: { maxRetries: 0, timeoutSeconds: 60, api: 'responses' } };
          const port = createModel(target.binding, settings, env);
          const outcome = await pingModel(port, pricing);
          results.push({
            ...outcome,
            source: target.source,
            endpoint: target.endpoint,
            ...(target.reason === undefined ? {} : { reason: target.reason }),
          });
        }
      });
      const report: PingReport = {
        runId: `ping-${new Date()
          .toISOString()
          .replace(/[-:.TZ]/g, '')
          .slice(0, 14)}-${randomUUID().slice(0, 8)}`,
        dataDir: loaded.dataDir,
        ...(server === undefined ? {} : { replayServer: server.url }),
        results,
        totalCostUsd: results.reduce((sum, result) => sum + (result.ok ? (result.costUsd ?? 0) : 0), 0),
      };
      await journalPing(store, report.runId, repo, loaded.config, report);
      output.data(report, () => printReport(report));
      if (results.some((result) => !result.ok)) process.exitCode = 4;
    } finally {
      await server?.close();
      await store.close();
    }
  });
}
