import type {
  ModelPort,
  ModelRequest,
  ModelResponse,
  ProtocolMessage,
  Workspace,
  WorktreeChange,
} from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes (scripted model).
import { ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it, vi } from 'vitest';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import { oversizeProblem, sizeLimitsOf } from '../src/debate/edit-size-check.ts';
import { projectRun } from '../src/journal/run-projection.ts';
import { watchDiskQuota } from '../src/test-gate/test-leftovers.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const implement = (edits: unknown[]): ProtocolMessage =>
  ({
    specificationVersion: 'v1',
    kind: 'implement',
    summary: 'x',
    claims: [],
    evidence: [],
    risks: [],
    resolvedRisks: [],
    edits,
  }) as ProtocolMessage;

describe('size bounds on the edits a model sends', () => {
  it('names each edit over the per-edit bound and a batch over the per-diff bound', () => {
    const limits = { ...sizeLimitsOf(defaultLimits), maxEditBytes: 10, maxDiffBytes: 25 };
    expect(oversizeProblem(implement([{ kind: 'create', path: 'a.txt', content: 'short' }]), limits)).toBeUndefined();
    expect(
      oversizeProblem(
        implement([
          { kind: 'create', path: 'a.txt', content: 'x'.repeat(11) },
          { kind: 'search-replace', path: 'b.txt', search: 'y'.repeat(5), replace: 'z'.repeat(5) },
          { kind: 'unified-diff', diff: 'd'.repeat(10) },
        ]),
        limits,
      ),
    ).toBe(
      'edits too large: edit 1 (a.txt) is 11 B, over the 10 B limit per edit; the edits total 31 B, over the 25 B limit per change. Send a smaller change: generated, minified or binary data does not belong in an edit.',
    );
  });

  it('re-asks the Builder with the reason and never journals or applies the oversized edit', async () => {
    const runtime = testRuntime();
    const builderRequests: ModelRequest[] = [];
    runtime.modelFor = (binding): ModelPort => {
      const inner = new ScriptedModel({ modelId: binding.model });
      if (binding.role !== 'builder') return inner;
      const generate = async (request: ModelRequest): Promise<ModelResponse> => {
        builderRequests.push(request);
        const response = await inner.generate(request);
        if (builderRequests.length > 1) return response;
        const message = JSON.parse(response.text) as { edits: unknown[] };
        message.edits.push({ kind: 'create', path: 'blob.txt', content: 'A'.repeat(5000) });
        const { object: _object, ...rest } = response;
        return { ...rest, text: JSON.stringify(message) };
      };
      return {
        specificationVersion: 'v1',
        provider: 'scripted',
        modelId: binding.model,
        generate,
        async *stream(request) {
          const response = await generate(request);
          yield { type: 'text-delta', delta: response.text };
          yield { type: 'finish', response };
        },
        countTokens: (request) => inner.countTokens(request),
      };
    };
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: { ...defaultLimits, maxEditBytes: 1000 },
    });
    expect(result.status).toBe('converged');
    expect(builderRequests[1]?.messages.at(-1)?.content).toContain(
      'edits too large: edit 2 (blob.txt) is 4.9 KiB, over the 1000 B limit per edit',
    );
    expect(builderRequests[1]?.messages.at(-2)?.content).toContain('more characters left out');
    const events = await runtime.store.read(result.runId);
    expect(JSON.stringify(events.filter((event) => event.type === 'message'))).not.toContain('blob.txt');
    expect(result.diff).not.toContain('blob.txt');
  });

  it('a resume may raise the size bounds and the disk quota of a test run', async () => {
    const runtime = testRuntime();
    const paused = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+always-revise' }),
      limits: { ...defaultLimits, maxRejections: 1, testDiskQuotaBytes: 1000 },
    });
    expect(paused.status).toBe('paused');
    await resumeRun(runtime, paused.runId, { changes: { testDiskQuotaBytes: 5000, maxEditBytes: 7 } });
    const state = projectRun(paused.runId, await runtime.store.read(paused.runId));
    expect(state.limits).toMatchObject({ testDiskQuotaBytes: 5000, maxEditBytes: 7 });
  });
});

describe('the disk quota of a running test', () => {
  it('aborts the run once what it wrote adds up past the quota, checking again after each look', async () => {
    vi.useFakeTimers();
    try {
      let written = 0;
      const changesSince = vi.fn(
        async (): Promise<WorktreeChange[]> => [{ path: 'out/part', change: 'added', bytes: written, ignored: false }],
      );
      const workspace = {
        snapshots: { changesSince, snapshot: vi.fn(), restoreSnapshot: vi.fn() },
      } as unknown as Workspace;
      const controller = new AbortController();
      const stop = watchDiskQuota({
        workspace,
        snapshot: { specificationVersion: 'v1', state: {} },
        quotaBytes: 100,
        controller,
      });
      written = 60;
      await vi.advanceTimersByTimeAsync(1000);
      expect(changesSince).toHaveBeenCalledTimes(1);
      expect(controller.signal.aborted).toBe(false);
      written = 101;
      await vi.advanceTimersByTimeAsync(1000);
      expect(changesSince).toHaveBeenCalledTimes(2);
      expect(controller.signal.aborted).toBe(true);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(changesSince).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
