import { describe, expect, it } from 'vitest';
import { startRun } from '../src/debate/debate-loop.ts';
import { findSequenceProblems } from '../src/journal/run-projection.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

describe('the debate loop on the scripted model', () => {
  it('converges on "add a README section" in 3 turns with the section in the diff', async () => {
    const runtime = testRuntime();
    const seen: string[] = [];
    runtime.bus.subscribe((event) => seen.push(event.type));
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(result.status).toBe('converged');
    expect(result.turns).toBe(3);
    expect(result.diff).toContain('+## Usage');
    expect(result.diff).toContain('+npm test');
    const events = await runtime.store.read(result.runId);
    expect(findSequenceProblems(events)).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(seen);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', data: { status: 'converged' } });
    expect(
      events
        .filter((event) => event.type === 'message')
        .map((event) => (event.data as { message: { kind: string } }).message.kind),
    ).toEqual(['propose', 'implement', 'verify']);
  });

  it('adds a LICENSE file and a function with its test as real edits', async () => {
    const runtime = testRuntime();
    const license = await startRun(runtime, {
      task: 'add a LICENSE file',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(license.status).toBe('converged');
    const workspace = runtime.workspaces.workspaces.get(license.runId)!;
    expect(await workspace.readFile('LICENSE')).toContain('WITHOUT WARRANTY OF ANY KIND');
    expect(await workspace.readFile('LICENSE')).toContain('the demo-greeter authors');

    const fn = await startRun(runtime, {
      task: 'add a function with its test',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(fn.status).toBe('converged');
    const files = runtime.workspaces.workspaces.get(fn.runId)!.snapshot();
    expect(files['src/slugify.js']).toContain('.toLowerCase()');
    expect(files['test/slugify.test.js']).toContain("slugify('Hello World'), 'hello-world'");
    const { slugify } = (await import(`data:text/javascript,${encodeURIComponent(files['src/slugify.js']!)}`)) as {
      slugify: (title: string) => string;
    };
    expect(slugify('  Hello   World ')).toBe('hello-world');
  });

  it('journals every model call with request and response blobs', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    const events = await runtime.store.read(result.runId);
    const starts = events.filter((event) => event.type === 'model-call-start');
    const ends = events.filter((event) => event.type === 'model-call-end');
    expect(starts).toHaveLength(3);
    expect(ends).toHaveLength(3);
    for (const end of ends) {
      const data = end.data as { responseSha256: string; usage: { inputTokens: number }; costUsd: number };
      const response = JSON.parse((await runtime.store.getBlob(data.responseSha256))!) as { text: string };
      expect(response.text).toContain('"specificationVersion":"v1"');
      expect(data.usage.inputTokens).toBeGreaterThan(0);
      expect(data.costUsd).toBe(0);
    }
    const request = JSON.parse(
      (await runtime.store.getBlob((starts[0]!.data as { requestSha256: string }).requestSha256))!,
    );
    expect(request.messages[0].content).toContain('## Task\nadd a README section');
    expect(request.messages[0].content).toContain('<file path="README.md">');
  });

  it('lets the Critic critique proposals first when asked (4 turns)', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
      critiqueProposals: true,
    });
    expect(result.status).toBe('converged');
    expect(result.turns).toBe(4);
    const kinds = (await runtime.store.read(result.runId))
      .filter((event) => event.type === 'step-start')
      .map((event) => (event.data as { kind: string }).kind);
    expect(kinds).toEqual(['propose', 'critique', 'implement', 'verify']);
  });

  it('holds convergence while a planted bug is open, then converges once the fix lands', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a function with its test',
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+planted-bug' }),
      limits: defaultLimits,
    });
    expect(result.status).toBe('converged');
    const messages = (await runtime.store.read(result.runId))
      .filter((event) => event.type === 'message')
      .map((event) => (event.data as { message: Record<string, unknown> }).message);
    expect(messages.map((message) => message.kind)).toEqual(['propose', 'implement', 'verify', 'implement', 'verify']);
    expect(messages[2]).toMatchObject({
      verdict: 'revise',
      risks: [{ id: 'slugify-no-lowercase', severity: 'high', fix: expect.stringContaining('.toLowerCase()') }],
    });
    expect(messages[3]).toMatchObject({ resolvedRisks: ['slugify-no-lowercase'] });
    expect(result.diff).toContain('+    .toLowerCase()');
  });
});
