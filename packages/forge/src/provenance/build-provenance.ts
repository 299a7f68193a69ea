import type { JournalEvent, Provenance } from '@orchestrator/spec';
import { z } from 'zod';

const runStartData = z.looseObject({
  task: z.string().optional(),
  roles: z.array(z.looseObject({ role: z.string(), provider: z.string(), model: z.string() })).optional(),
});
const callStartData = z.looseObject({
  callId: z.string(),
  role: z.string(),
  provider: z.string(),
  model: z.string(),
  requestSha256: z.string(),
});
const callEndData = z.looseObject({
  callId: z.string(),
  role: z.string(),
  provider: z.string(),
  model: z.string(),
  modelId: z.string().optional(),
  responseSha256: z.string(),
  usage: z
    .looseObject({
      inputTokens: z.number(),
      outputTokens: z.number(),
      cacheReadTokens: z.number().optional(),
      cacheWriteTokens: z.number().optional(),
    })
    .optional(),
  costUsd: z.number().optional(),
});
const testRunData = z.looseObject({
  phase: z.string(),
  command: z.string(),
  exitCode: z.number(),
  summary: z.string().optional(),
  sandbox: z.string().optional(),
});
const policyVerdictData = z.looseObject({
  gate: z.string(),
  verdict: z.string(),
  findings: z.union([z.array(z.unknown()), z.number()]).optional(),
});

/** Rounds money to micro-dollars so sums of floats render stably. */
const roundUsd = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

/**
 * Builds the provenance block of a run from its journal events: the models per role (with the versions the
 * providers reported), the hashes of every prompt and response, test evidence, spend and policy verdicts.
 * Events of unknown types, or with payloads this version does not understand, are ignored.
 */
export function buildProvenance(events: readonly JournalEvent[]): Provenance {
  const runId = events[0]?.runId ?? 'unknown';
  let task: string | undefined;
  const models = new Map<string, Provenance['models'][number]>();
  const calls = new Map<string, Provenance['calls'][number]>();
  const tests: Provenance['tests'] = [];
  const policy: Provenance['policy'] = [];
  const spend = { usd: 0, inputTokens: 0, outputTokens: 0 };

  const modelEntry = (role: string, provider: string, model: string) => {
    const key = `${role}\u0000${provider}\u0000${model}`;
    let entry = models.get(key);
    if (entry === undefined) {
      entry = { role, provider, model, versions: [], calls: 0 };
      models.set(key, entry);
    }
    return entry;
  };

  for (const event of events) {
    if (event.type === 'run-start') {
      const parsed = runStartData.safeParse(event.data);
      if (!parsed.success) continue;
      task = parsed.data.task;
      for (const binding of parsed.data.roles ?? []) modelEntry(binding.role, binding.provider, binding.model);
    } else if (event.type === 'model-call-start') {
      const parsed = callStartData.safeParse(event.data);
      if (!parsed.success) continue;
      const { callId, role, provider, model, requestSha256 } = parsed.data;
      calls.set(callId, { callId, role, model, requestSha256 });
      modelEntry(role, provider, model).calls += 1;
    } else if (event.type === 'model-call-end') {
      const parsed = callEndData.safeParse(event.data);
      if (!parsed.success) continue;
      const { callId, role, provider, model, modelId, responseSha256, usage, costUsd } = parsed.data;
      const call = calls.get(callId);
      if (call !== undefined) call.responseSha256 = responseSha256;
      // `model` of model-call-end is what the provider served (a dated snapshot): the version of the requested model.
      const entry = modelEntry(role, provider, call?.model ?? model);
      const version = modelId ?? model;
      if (!entry.versions.includes(version)) entry.versions.push(version);
      spend.usd += costUsd ?? 0;
      spend.inputTokens += (usage?.inputTokens ?? 0) + (usage?.cacheReadTokens ?? 0) + (usage?.cacheWriteTokens ?? 0);
      spend.outputTokens += usage?.outputTokens ?? 0;
    } else if (event.type === 'test-run') {
      const parsed = testRunData.safeParse(event.data);
      if (!parsed.success) continue;
      tests.push({
        phase: parsed.data.phase,
        command: parsed.data.command,
        exitCode: parsed.data.exitCode,
        summary: parsed.data.summary ?? '',
        ...(parsed.data.sandbox === undefined ? {} : { sandbox: parsed.data.sandbox }),
      });
    } else if (event.type === 'policy-verdict') {
      const parsed = policyVerdictData.safeParse(event.data);
      if (!parsed.success) continue;
      const findings = parsed.data.findings;
      policy.push({
        gate: parsed.data.gate,
        verdict: parsed.data.verdict,
        findings: Array.isArray(findings) ? findings.length : (findings ?? 0),
      });
    }
  }

  return {
    specificationVersion: 'v1',
    runId,
    ...(task === undefined ? {} : { task }),
    models: [...models.values()],
    calls: [...calls.values()],
    tests,
    spend: { ...spend, usd: roundUsd(spend.usd) },
    policy,
  };
}
