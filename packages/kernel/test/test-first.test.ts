import type { JournalEvent, ModelPort, RecordedRole, TestRunData } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes (scripted model).
import { ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { evaluateConvergence } from '../src/debate/convergence.ts';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import { findSequenceProblems, projectRun } from '../src/journal/run-projection.ts';
import { isDocumentationOnly } from '../src/test-gate/test-first.ts';
import { fakeTestTools, slugifyJudge } from './fake-test-tools.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const withTestWriter = (models: Parameters<typeof roles>[0] = {}): RecordedRole[] => [
  ...roles(models),
  { role: 'test-writer', provider: 'scripted', model: 'scripted-v1', maxOutputTokens: 4096 },
];
const task = 'add a function with its test';
const testRunsOf = (events: readonly JournalEvent[]) =>
  events.filter((event) => event.type === 'test-run').map((event) => event.data as TestRunData);
const kindsOf = (events: readonly JournalEvent[]) =>
  events
    .filter((event) => event.type === 'message')
    .map((event) => (event.data as { message: { kind: string } }).message.kind);

describe('test first: red, then green', () => {
  it('writes a failing acceptance test before the Builder implements, then the tests pass', async () => {
    const runtime = testRuntime();
    const tools = fakeTestTools(runtime.workspaces);
    runtime.testTools = tools;
    const result = await startRun(runtime, { task, repo: '/repo', roles: withTestWriter(), limits: defaultLimits });
    expect(result.status).toBe('converged');
    expect(result.diff).toContain('+++ b/test/slugify.acceptance.test.mjs');
    expect(result.diff).toContain('+++ b/src/slugify.js');
    const events = await runtime.store.read(result.runId);
    expect(findSequenceProblems(events)).toEqual([]);
    expect(events[0]?.data).toMatchObject({ tests: { sandbox: 'bubblewrap', command: 'npm test' } });
    expect(kindsOf(events)).toEqual(['propose', 'test', 'implement', 'verify']);
    const runs = testRunsOf(events);
    expect(runs.map((run) => [run.phase, run.turn, run.exitCode])).toEqual([
      ['check', undefined, 0],
      ['red', 2, 1],
      ['green', 3, 0],
    ]);
    expect(runs[1]?.verdict).toMatchObject({ kind: 'missing-target', expectedReason: true });
    expect(runs.every((run) => run.sandbox === 'bubblewrap' && run.outputSha256 !== undefined)).toBe(true);
    // The Builder was told about the red acceptance test; the Critic saw the green run with its output.
    const prompts = runtime.models.flatMap((model) =>
      model.calls.map((call) => call.request.messages[0]?.content ?? ''),
    );
    expect(prompts.find((prompt) => prompt.includes('As the Builder'))).toContain(
      '### red · turn 2 · `npm test` · exit 1',
    );
    const verifyPrompt = prompts.find((prompt) => prompt.includes('As the Critic')) ?? '';
    expect(verifyPrompt).toContain('### green · turn 3 · `npm test` · exit 0');
    expect(verifyPrompt).toContain('# pass 2');
  });

  it('does not converge while the tests fail: the Builder gets the failing output and fixes the code', async () => {
    const runtime = testRuntime();
    runtime.testTools = fakeTestTools(runtime.workspaces);
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: withTestWriter({ builder: 'scripted-v1+planted-bug' }),
      limits: defaultLimits,
    });
    expect(result.status).toBe('converged');
    const events = await runtime.store.read(result.runId);
    expect(kindsOf(events)).toEqual(['propose', 'test', 'implement', 'verify', 'implement', 'verify']);
    expect(testRunsOf(events).map((run) => [run.phase, run.exitCode])).toEqual([
      ['check', 0],
      ['red', 1],
      ['green', 1],
      ['green', 0],
    ]);
    const builderPrompts = runtime.models
      .flatMap((model) => model.calls.map((call) => call.request.messages[0]?.content ?? ''))
      .filter((prompt) => prompt.includes('As the Builder'));
    expect(builderPrompts[1]).toContain("AssertionError [ERR_ASSERTION]: 'ello-orld' !== 'hello-world'");
  });

  it('a Critic that accepts failing tests still cannot make the run converge', () => {
    const failing: TestRunData = {
      phase: 'green',
      command: 'npm test',
      exitCode: 1,
      summary: '1 failed',
      durationMs: 1,
    };
    const rubric = { correctness: 5, completeness: 5, risk: 5, testCoverage: 5, scope: 5 };
    const base = { specificationVersion: 'v1' as const, claims: [], evidence: [], risks: [], resolvedRisks: [] };
    const verdict = evaluateConvergence([
      {
        stepId: 'turn-1',
        turn: 1,
        role: 'builder',
        kind: 'implement',
        status: 'ok',
        message: { ...base, kind: 'implement', summary: 'x', edits: [{ kind: 'delete', path: 'a' }] },
        patch: { ok: true, applied: [] },
        testRuns: [failing],
      },
      {
        stepId: 'turn-2',
        turn: 2,
        role: 'critic',
        kind: 'verify',
        status: 'ok',
        message: { ...base, kind: 'verify', summary: 'ok', targetTurn: 1, checks: [], rubric, verdict: 'accept' },
      },
    ]);
    expect(verdict).toEqual({
      converged: false,
      why: 'the tests fail after turn 1 (`npm test` exited 1: 1 failed)',
    });
  });

  it('an implementation that deletes the acceptance test cannot converge, even with passing tests', async () => {
    const runtime = testRuntime();
    runtime.testTools = fakeTestTools(runtime.workspaces);
    const scripted = runtime.modelFor;
    // A Builder that also deletes the failing acceptance test (the fake runner then passes: nothing checks slugify).
    runtime.modelFor = (binding): ModelPort => {
      const model = scripted(binding) as ScriptedModel;
      if (binding.role !== 'builder') return model;
      return Object.assign(Object.create(model) as ScriptedModel, {
        async generate(request: Parameters<ModelPort['generate']>[0]) {
          const response = await ScriptedModel.prototype.generate.call(model, request);
          const body = JSON.parse(response.text) as { edits: unknown[] };
          body.edits = [
            { kind: 'create', path: 'src/slugify.js', content: 'export const slugify = (t) => t.toLowerCase();\n' },
          ];
          body.edits.push({ kind: 'delete', path: 'test/slugify.acceptance.test.mjs' });
          const text = JSON.stringify(body);
          return { ...response, text, object: body };
        },
      });
    };
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: withTestWriter(),
      limits: { ...defaultLimits, maxTurns: 6 },
    });
    expect(result.status).toBe('paused');
    const state = projectRun(result.runId, await runtime.store.read(result.runId));
    const implementation = state.turns.find((turn) => turn.kind === 'implement');
    expect(implementation?.problem).toContain(
      'changed or deleted the acceptance test (test/slugify.acceptance.test.mjs)',
    );
    expect(implementation?.testRuns?.at(-1)?.exitCode).toBe(0);
    // The Critic accepted the passing run, yet the change does not converge.
    const verification = state.turns[3]?.message;
    expect(verification?.kind === 'verify' && verification.verdict).toBe('accept');
    expect(evaluateConvergence(state.turns.slice(0, 4))).toEqual({
      converged: false,
      why: expect.stringContaining('changed or deleted the acceptance test'),
    });
  });

  it('asks the Test-writer again when its test fails for the wrong reason, then pauses with red-test-invalid', async () => {
    const runtime = testRuntime();
    runtime.testTools = fakeTestTools(runtime.workspaces, {
      judge: (files) =>
        files['test/slugify.acceptance.test.mjs'] === undefined
          ? { exitCode: 0, output: '# pass 1' }
          : { exitCode: 1, output: 'SyntaxError: Unexpected token' },
    });
    const result = await startRun(runtime, { task, repo: '/repo', roles: withTestWriter(), limits: defaultLimits });
    expect(result.status).toBe('paused');
    expect(result.pause?.reason).toBe('red-test-invalid');
    expect(result.pause?.detail).toContain('syntax-error');
    const events = await runtime.store.read(result.runId);
    expect(kindsOf(events)).toEqual(['propose', 'test', 'test', 'test']);
    const testWriterPrompts = runtime.models
      .flatMap((model) => model.calls.map((call) => call.request.messages[0]?.content ?? ''))
      .filter((prompt) => prompt.includes('As the Test-writer'));
    expect(testWriterPrompts[1]).toContain('SyntaxError: Unexpected token');
    expect(testWriterPrompts[1]).toContain('was not a valid red');
  });

  it('pauses before any turn when the tests already fail, and runs them again on resume', async () => {
    const runtime = testRuntime();
    let broken = true;
    runtime.testTools = fakeTestTools(runtime.workspaces, {
      judge: (files) => (broken ? { exitCode: 1, output: 'Error: Cannot find package vitest' } : slugifyJudge(files)),
    });
    const paused = await startRun(runtime, { task, repo: '/repo', roles: withTestWriter(), limits: defaultLimits });
    expect(paused).toMatchObject({ status: 'paused', turns: 0, pause: { reason: 'tests-failing' } });
    expect(paused.pause?.detail).toContain('fail before any change (`npm test` exited 1');
    expect(runtime.models.flatMap((model) => model.calls)).toEqual([]);
    broken = false;
    const resumed = await resumeRun(runtime, paused.runId);
    expect(resumed.status).toBe('converged');
    const baselines = testRunsOf(await runtime.store.read(paused.runId)).filter((run) => run.turn === undefined);
    expect(baselines.map((run) => run.exitCode)).toEqual([1, 0]);
  });

  it('records a resume in another sandbox (the --sandbox none opt-out) in run-resume and in each test run', async () => {
    const runtime = testRuntime();
    runtime.testTools = fakeTestTools(runtime.workspaces);
    const capped = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: withTestWriter(),
      limits: { ...defaultLimits, maxTurns: 1 },
    });
    expect(capped.pause?.reason).toBe('turn-cap');
    runtime.testTools = fakeTestTools(runtime.workspaces, { sandbox: 'none' });
    const result = await resumeRun(runtime, capped.runId, { changes: { maxTurns: 12 } });
    expect(result.status).toBe('converged');
    const events = await runtime.store.read(capped.runId);
    expect(events.find((event) => event.type === 'run-resume')?.data).toEqual({
      by: 'cli',
      changes: { maxTurns: 12, sandbox: 'none' },
    });
    expect(testRunsOf(events).map((run) => `${run.phase}:${run.sandbox}`)).toEqual([
      'check:bubblewrap',
      'red:none',
      'green:none',
    ]);
  });

  it('skips the Test-writer for a documentation-only plan but still checks the existing tests', async () => {
    const runtime = testRuntime();
    runtime.testTools = fakeTestTools(runtime.workspaces);
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: withTestWriter(),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({ status: 'converged', turns: 3 });
    const events = await runtime.store.read(result.runId);
    expect(kindsOf(events)).toEqual(['propose', 'implement', 'verify']);
    expect(testRunsOf(events).map((run) => [run.phase, run.turn, run.exitCode])).toEqual([
      ['check', undefined, 0],
      ['check', 2, 0],
    ]);
    expect(isDocumentationOnly(['README.md', 'docs/guide.txt', 'LICENSE'])).toBe(true);
    expect(isDocumentationOnly(['README.md', 'src/index.js'])).toBe(false);
  });

  it('says so in the journal and runs no test when the repository has no test command', async () => {
    const runtime = testRuntime();
    const tools = fakeTestTools(runtime.workspaces, { detection: undefined });
    runtime.testTools = tools;
    const result = await startRun(runtime, { task, repo: '/repo', roles: withTestWriter(), limits: defaultLimits });
    expect(result).toMatchObject({ status: 'converged', turns: 3 });
    const events = await runtime.store.read(result.runId);
    const tests = (events[0]?.data as { tests?: { command?: string; reason: string } } | undefined)?.tests;
    expect(tests?.command).toBeUndefined();
    expect(tests?.reason).toContain('No test command found');
    expect(tools.runs).toEqual([]);
  });

  it('resumes an interrupted red run without asking the Test-writer again', async () => {
    const runtime = testRuntime();
    const tools = fakeTestTools(runtime.workspaces);
    runtime.testTools = tools;
    // Stop the process right after the acceptance test's edits are journaled, before the red run.
    runtime.onCheckpoint = (checkpoint) => {
      if (checkpoint.kind === 'event-appended' && checkpoint.type === 'patch-apply') throw new Error('crash');
    };
    await expect(
      startRun(runtime, { task, repo: '/repo', roles: withTestWriter(), limits: defaultLimits, runId: 'r-crash' }),
    ).rejects.toThrow('crash');
    delete runtime.onCheckpoint;
    const callsBefore = runtime.models.reduce((total, model) => total + model.calls.length, 0);
    const result = await resumeRun(runtime, 'r-crash');
    expect(result.status).toBe('converged');
    const events = await runtime.store.read('r-crash');
    expect(testRunsOf(events).map((run) => run.phase)).toEqual(['check', 'red', 'green']);
    expect(projectRun('r-crash', events).turns.map((turn) => turn.kind)).toEqual([
      'propose',
      'test',
      'implement',
      'verify',
    ]);
    // Only the Builder and the Critic were asked after the resume.
    expect(runtime.models.reduce((total, model) => total + model.calls.length, 0) - callsBefore).toBe(2);
  });
});
