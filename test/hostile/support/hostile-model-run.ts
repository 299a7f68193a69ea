import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRuntime, createCliRuntime } from '@orchestrator/cli/compose/create-runtime';
import { createDeliveryHook } from '@orchestrator/cli/compose/deliver-change';
import { printRunLive } from '@orchestrator/cli/compose/run-printer';
import { type DeliveryHook, type RunResult, resumeRun, startRun } from '@orchestrator/kernel';
import {
  configSchema,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type RecordedRole,
  type RunLimits,
} from '@orchestrator/spec';
import { ScriptedModel } from '@orchestrator/testing';

/** Rewrites a scripted reply (the parsed protocol message) before the kernel sees it; returns it unchanged to pass. */
export type ReplyRewrite = (role: string, message: Record<string, unknown>, request: ModelRequest) => unknown;

/**
 * A hostile model: the scripted model plays every role, and `rewrite` turns chosen replies into crafted ones (extra
 * edits, a test that writes files, an oversized edit). Records every request it got.
 */
export class HostileModel implements ModelPort {
  readonly specificationVersion = 'v1';
  readonly provider = 'scripted';
  readonly modelId = 'scripted-v1';
  readonly requests: ModelRequest[] = [];
  readonly #inner = new ScriptedModel({ modelId: 'scripted-v1' });
  readonly #role: string;
  readonly #rewrite: ReplyRewrite;

  constructor(role: string, rewrite: ReplyRewrite) {
    this.#role = role;
    this.#rewrite = rewrite;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const response = await this.#inner.generate(request);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      return response;
    }
    const rewritten = this.#rewrite(this.#role, message, request);
    const text = typeof rewritten === 'string' ? rewritten : JSON.stringify(rewritten);
    const { object: _object, ...rest } = response;
    return { ...rest, text };
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
    const response = await this.generate(request);
    yield { type: 'text-delta', delta: response.text };
    yield { type: 'finish', response };
  }

  countTokens(request: ModelRequest) {
    return this.#inner.countTokens(request);
  }
}

export const debateRoles: RecordedRole[] = ['architect', 'test-writer', 'builder', 'critic'].map((role) => ({
  role,
  provider: 'scripted',
  model: 'scripted-v1',
  maxOutputTokens: 4096,
}));

export const defaultTestLimits: RunLimits = { maxTurns: 14, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 30 };

/** A run of the real runtime (store, git worktrees, bubblewrap sandbox, local forge delivery) with hostile models. */
export interface HostileRun {
  cli: CliRuntime;
  dataDir: string;
  models: HostileModel[];
  /** Everything printed to the terminal (the live run printer). */
  printed: string[];
  start(task: string, limits?: RunLimits): Promise<RunResult>;
  resume(runId: string, changes?: Partial<RunLimits>): Promise<RunResult>;
  close(): Promise<void>;
}

export async function openHostileRun(
  repo: string,
  rewrite: ReplyRewrite,
  options: { deliver?: (hook: DeliveryHook) => DeliveryHook } = {},
): Promise<HostileRun> {
  const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'orchestrator-hostile-home-')));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
    ORCHESTRATOR_HOME: dataDir,
  };
  const config = configSchema.parse({ retrieval: { enabled: false } });
  const cli = await createCliRuntime({ config, dataDir, env, sandbox: 'bubblewrap', noCache: true });
  const models: HostileModel[] = [];
  const printed: string[] = [];
  printRunLive(cli.bus, (line) => printed.push(line));
  const hook = createDeliveryHook({
    config,
    dataDir,
    env,
    forgeKind: 'local',
    onProgress: (line) => printed.push(line),
  });
  const runtime = {
    ...cli.runtime,
    deliver: options.deliver === undefined ? hook : options.deliver(hook),
    modelFor: (binding: RecordedRole) => {
      const model = new HostileModel(binding.role, rewrite);
      models.push(model);
      return model;
    },
  };
  return {
    cli,
    dataDir,
    models,
    printed,
    start: (task, limits = defaultTestLimits) => startRun(runtime, { task, repo, roles: debateRoles, limits }),
    resume: (runId, changes) =>
      resumeRun(runtime, runId, { by: 'test', ...(changes === undefined ? {} : { changes }) }),
    close: () => cli.close(),
  };
}
