import type { NewJournalEvent } from '@orchestrator/spec';
import { sha256Hex } from '../src/prepare-events.ts';

export interface SampleRunOptions {
  /** Debate turns (each ~5 events); 4 by default = one propose/critique/implement/verify round. */
  turns?: number;
  /** Feature label. */
  feature?: string;
  /** Timestamp of the first event; each next event is 1.5 s later. */
  startAt?: string;
  /** End the run (converged) after the last turn; true by default. */
  end?: boolean;
  /** Make turn 2's first call fail with a rate limit before succeeding. */
  withRateLimit?: boolean;
}

const cast = [
  { role: 'architect', provider: 'anthropic', model: 'claude-sonnet-4-5', kind: 'propose', inPrice: 3, outPrice: 15 },
  { role: 'critic', provider: 'openai', model: 'gpt-5', kind: 'critique', inPrice: 1.25, outPrice: 10 },
  { role: 'builder', provider: 'anthropic', model: 'claude-sonnet-4-5', kind: 'implement', inPrice: 3, outPrice: 15 },
  { role: 'verifier', provider: 'openai', model: 'gpt-5-mini', kind: 'verify', inPrice: 0.25, outPrice: 2 },
] as const;

/**
 * A realistic journal of a debate run (the shape the kernel writes), for tests, the p10 smoke and the benchmark:
 * events to append, and the prompts to store as blobs first.
 */
export function sampleRunEvents(options: SampleRunOptions = {}): { events: NewJournalEvent[]; prompts: string[] } {
  const turns = options.turns ?? 4;
  let clock = Date.parse(options.startAt ?? '2026-11-24T06:00:00.000Z');
  const at = () => {
    const value = new Date(clock).toISOString();
    clock += 1_500;
    return value;
  };
  const prompts: string[] = [];
  const events: NewJournalEvent[] = [
    {
      type: 'run-start',
      at: at(),
      data: {
        task: 'add a /health endpoint to the API',
        repo: '/tmp/demo-repo',
        slug: 'health-endpoint',
        labels: { feature: options.feature ?? 'health-endpoint' },
        roles: cast.map(({ role, provider, model }) => ({ role, provider, model })),
        limits: { maxTurns: Math.max(turns, 1), maxRejections: 3, maxRepairAttempts: 2, maxMinutes: 30 },
        maxUsd: 5,
      },
    },
  ];
  for (let turn = 1; turn <= turns; turn += 1) {
    const member = cast[(turn - 1) % cast.length]!;
    const stepId = `turn-${turn}-${member.role}`;
    const prompt = `System: you are the ${member.role}.\nTask: add a /health endpoint.\nTurn ${turn}: ${'context '.repeat(20 + (turn % 7) * 30)}`;
    prompts.push(prompt);
    const requestSha256 = sha256Hex(prompt);
    const inputTokens = 800 + (turn % 7) * 700;
    const outputTokens = 200 + (turn % 5) * 150;
    const cacheReadTokens = turn > 4 ? 600 : 0;
    const costUsd = Math.round(((inputTokens * member.inPrice + outputTokens * member.outPrice) / 1e6) * 1e6) / 1e6;
    const callId = `call-${turn}`;
    events.push({ type: 'step-start', stepId, at: at(), data: { role: member.role, turn, kind: member.kind } });
    if (options.withRateLimit === true && turn === 2) {
      events.push(
        { type: 'model-call-start', stepId, at: at(), data: callStart(`${callId}-a`, member, requestSha256) },
        {
          type: 'model-call-error',
          stepId,
          at: at(),
          data: {
            callId: `${callId}-a`,
            code: 'model-call-rate-limited',
            kind: 'rate-limited',
            message: 'openai returned 429 Too Many Requests',
          },
        },
      );
    }
    events.push(
      { type: 'model-call-start', stepId, at: at(), data: callStart(callId, member, requestSha256) },
      {
        type: 'model-call-end',
        stepId,
        at: at(),
        data: {
          callId,
          role: member.role,
          provider: member.provider,
          model: member.model,
          responseSha256: sha256Hex(`response ${turn}`),
          usage: { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens: 0, reasoningTokens: 0 },
          costUsd,
          cached: false,
          durationMs: 2_000 + turn * 10,
        },
      },
      {
        type: 'message',
        stepId,
        at: at(),
        data: {
          role: member.role,
          turn,
          message: { specificationVersion: 'v1', kind: member.kind, summary: `${member.role} turn ${turn}` },
        },
      },
    );
    if (member.kind === 'implement') {
      events.push({
        type: 'patch-apply',
        stepId,
        at: at(),
        data: { ok: true, turn, applied: [{ editIndex: 0, path: 'src/server.ts', strategy: 'exact' }] },
      });
    }
    if (member.kind === 'verify') {
      events.push({
        type: 'test-run',
        stepId,
        at: at(),
        data: { phase: 'green', command: 'npm test', exitCode: 0, summary: '12 passed', durationMs: 3_400 },
      });
    }
    events.push({ type: 'step-end', stepId, at: at(), data: { status: 'ok' } });
  }
  if (options.end !== false) {
    events.push(
      {
        type: 'pr-open',
        at: at(),
        data: { number: 7, url: 'http://127.0.0.1/forge/pulls/7', headBranch: 'orchestrator/health-endpoint' },
      },
      { type: 'run-end', at: at(), data: { status: 'converged' } },
    );
  }
  return { events, prompts };
}

function callStart(callId: string, member: (typeof cast)[number], requestSha256: string) {
  return {
    callId,
    role: member.role,
    provider: member.provider,
    model: member.model,
    requestSha256,
    maxOutputTokens: 4_096,
    reservedUsd: 0.09,
  };
}
