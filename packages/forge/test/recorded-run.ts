import type { JournalStore, NewJournalEvent } from '@orchestrator/spec';

/** Writes a small but complete run into a journal: two model calls with stored prompts/responses, tests, a verdict. */
export async function recordRun(journal: JournalStore, runId: string): Promise<void> {
  const calls = [
    {
      callId: 'c1',
      role: 'architect',
      provider: 'scripted',
      model: 'scripted-architect',
      served: 'scripted-architect-2026-01',
    },
    { callId: 'c2', role: 'builder', provider: 'scripted', model: 'scripted-builder', served: 'scripted-builder' },
  ];
  const events: NewJournalEvent[] = [
    {
      type: 'run-start',
      data: {
        task: 'add LICENSE',
        repo: '/tmp/sandbox',
        labels: {},
        roles: calls.map(({ role, provider, model }) => ({ role, provider, model })),
        limits: {},
      },
    },
  ];
  for (const call of calls) {
    const requestSha256 = await journal.putBlob(JSON.stringify({ role: call.role, prompt: `prompt for ${call.role}` }));
    const responseSha256 = await journal.putBlob(JSON.stringify({ text: `reply of ${call.role}` }));
    events.push(
      {
        type: 'model-call-start',
        stepId: `step-${call.role}`,
        data: {
          callId: call.callId,
          role: call.role,
          provider: call.provider,
          model: call.model,
          requestSha256,
          maxOutputTokens: 1000,
          reservedUsd: 0.01,
        },
      },
      {
        type: 'model-call-end',
        stepId: `step-${call.role}`,
        data: {
          callId: call.callId,
          role: call.role,
          provider: call.provider,
          model: call.served,
          responseSha256,
          usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 10, cacheWriteTokens: 0, reasoningTokens: 0 },
          costUsd: 0.0015,
          cached: false,
          durationMs: 3,
        },
      },
    );
  }
  events.push(
    { type: 'test-run', data: { phase: 'red', command: 'npm test', exitCode: 1, summary: '1 failed', durationMs: 5 } },
    {
      type: 'test-run',
      data: {
        phase: 'green',
        command: 'npm test',
        exitCode: 0,
        summary: '3 passed',
        durationMs: 5,
        sandbox: 'bubblewrap',
      },
    },
    { type: 'policy-verdict', data: { gate: 'secrets', verdict: 'pass', findings: [] } },
    { type: 'policy-verdict', data: { gate: 'licenses', verdict: 'warn', findings: [{ file: 'LICENSE' }] } },
  );
  await journal.createRun(runId, { task: 'add LICENSE' });
  await journal.append(runId, events);
}
