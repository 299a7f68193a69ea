import { describe, expect, it } from 'vitest';
import { type ConsoleEvent, projectRun } from '../src/state/project-run.ts';

let seq = 0;
function event(type: string, data: Record<string, unknown>, stepId?: string): ConsoleEvent {
  seq += 1;
  return {
    runId: 'r1',
    seq,
    type,
    at: `2026-11-24T06:00:${String(seq).padStart(2, '0')}.000Z`,
    data,
    ...(stepId ? { stepId } : {}),
  };
}

describe('projectRun', () => {
  it('builds the debate, steps, spend by role and model, tests, PR and status from the journal', () => {
    seq = 0;
    const events = [
      event('run-start', { task: 'add a README section', repo: '/tmp/repo', maxUsd: 1 }),
      event('step-start', { role: 'architect', turn: 1, kind: 'propose' }, 's1'),
      event('model-call-start', { callId: 'c1', role: 'architect' }, 's1'),
      event(
        'model-call-end',
        {
          callId: 'c1',
          role: 'architect',
          provider: 'anthropic',
          model: 'claude-sonnet-4-6',
          usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 50 },
          costUsd: 0.006,
        },
        's1',
      ),
      event(
        'message',
        {
          role: 'architect',
          turn: 1,
          message: {
            type: 'propose',
            summary: 'Add a Usage section',
            claims: [{ text: 'README lacks usage' }],
            evidence: [{ kind: 'file', path: 'README.md', startLine: 1, endLine: 3 }],
            risks: [{ severity: 'high', description: 'breaks links', fix: 'keep anchors' }],
          },
        },
        's1',
      ),
      event('step-end', { status: 'done' }, 's1'),
      event('step-start', { role: 'critic', turn: 2, kind: 'critique' }, 's2'),
      event(
        'model-call-end',
        {
          callId: 'c2',
          role: 'critic',
          provider: 'openai',
          model: 'gpt-5',
          usage: { inputTokens: 500, outputTokens: 100 },
          costUsd: 0.002,
        },
        's2',
      ),
      event(
        'message',
        {
          role: 'critic',
          turn: 2,
          message: { type: 'critique', verdict: 'accept', rubric: { correctness: 5, scope: 4 } },
        },
        's2',
      ),
      event('step-end', { status: 'done' }, 's2'),
      event('test-run', { phase: 'green', command: 'npm test', exitCode: 0, summary: '3 passed', durationMs: 120 }),
      event('pr-open', { number: 7, headBranch: 'orchestrator/r1-add' }),
      event('run-end', { status: 'converged', diff: '+## Usage' }),
    ];
    const view = projectRun('r1', events);
    expect(view.status).toBe('converged');
    expect(view.task).toBe('add a README section');
    expect(view.spendUsd).toBeCloseTo(0.008);
    expect(view.debate.map((entry) => `${entry.role}:${entry.kind}`)).toEqual(['architect:propose', 'critic:critique']);
    expect(view.debate[0]?.evidence[0]?.label).toBe('file · README.md:1-3');
    expect(view.debate[0]?.risks[0]).toEqual({ severity: 'high', description: 'breaks links', fix: 'keep anchors' });
    expect(view.debate[1]?.rubric).toEqual([
      { criterion: 'correctness', score: 5 },
      { criterion: 'scope', score: 4 },
    ]);
    expect(view.steps.map((step) => [step.stepId, step.inputTokens, step.outputTokens])).toEqual([
      ['s1', 1050, 200],
      ['s2', 500, 100],
    ]);
    expect(view.byModel.map((row) => row.key)).toEqual(['anthropic/claude-sonnet-4-6', 'openai/gpt-5']);
    expect(view.byRole.find((row) => row.key === 'architect')?.cachedTokens).toBe(50);
    expect(view.tests[0]?.phase).toBe('green');
    expect(view.pr?.number).toBe(7);
    expect(view.diff).toBe('+## Usage');
  });

  it('tracks pause with its reason, the edited instruction, and resume', () => {
    seq = 0;
    const paused = projectRun('r1', [
      event('run-start', { task: 'old task' }),
      event('run-pause', { reason: 'operator', detail: 'by console' }),
    ]);
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toBe('operator');
    const resumed = projectRun('r1', [
      event('run-start', { task: 'old task' }),
      event('run-pause', { reason: 'operator' }),
      event('instruction-edit', { instruction: 'new task' }),
      event('run-resume', { by: 'console' }),
    ]);
    expect(resumed.status).toBe('running');
    expect(resumed.instruction).toBe('new task');
    expect(resumed.pauseReason).toBeUndefined();
  });

  it('keeps both outcomes of a rerun step as separate attempts', () => {
    seq = 0;
    const view = projectRun('r1', [
      event('step-start', { role: 'builder', turn: 3, kind: 'implement' }, 's3'),
      event('message', { role: 'builder', turn: 3, message: { type: 'implement', summary: 'first' } }, 's3'),
      event('step-end', { status: 'done' }, 's3'),
      event('step-start', { role: 'builder', turn: 3, kind: 'implement' }, 's3'),
      event('message', { role: 'builder', turn: 3, message: { type: 'implement', summary: 'second' } }, 's3'),
      event('step-end', { status: 'done' }, 's3'),
    ]);
    expect(view.steps.map((step) => step.attempt)).toEqual([1, 2]);
    expect(view.debate.map((entry) => [entry.summary, entry.attempt])).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
  });

  it('is independent of the order events arrive in', () => {
    seq = 0;
    const events = [
      event('run-start', { task: 't' }),
      event('run-pause', { reason: 'budget-exhausted' }),
      event('run-resume', {}),
    ];
    expect(projectRun('r1', [...events].reverse()).status).toBe('running');
  });
});

describe('projectRun with the kernel’s operator control events', () => {
  it('numbers a rerun as attempt 2 of the same step, keeps both messages, and shows the edited instruction', () => {
    seq = 0;
    const propose = (summary: string) => ({ kind: 'propose', summary, plan: [], files: [] });
    const events = [
      event('run-start', { task: 'add a README section', repo: '/r' }),
      event('step-start', { role: 'architect', turn: 1, kind: 'propose' }, 'turn-1'),
      event('message', { role: 'architect', turn: 1, message: propose('first plan') }, 'turn-1'),
      event('step-end', { status: 'ok' }, 'turn-1'),
      event('step-start', { role: 'builder', turn: 2, kind: 'implement' }, 'turn-2'),
      event('run-pause', { reason: 'operator', detail: 'Paused from the console.' }),
      event('step-end', { status: 'ok' }, 'turn-2'),
      event('instruction-edit', { instruction: 'add a usage section', by: 'api' }),
      event('step-rerun', { stepId: 'turn-1', by: 'api' }),
      event('run-resume', { by: 'api' }),
      event('run-resume', { by: 'cli' }),
      event('step-start', { role: 'architect', turn: 1, kind: 'propose' }, 'turn-1'),
      event('message', { role: 'architect', turn: 1, message: propose('second plan') }, 'turn-1'),
      event('step-end', { status: 'ok' }, 'turn-1'),
    ];
    const view = projectRun('r1', events);
    expect(view.status).toBe('running');
    expect(view.instruction).toBe('add a usage section');
    expect(view.steps.map((step) => `${step.stepId}#${step.attempt}:${step.status}`)).toEqual([
      'turn-1#1:ok',
      'turn-2#1:ok',
      'turn-1#2:ok',
    ]);
    expect(view.debate.map((entry) => `${entry.summary}@${entry.attempt}`)).toEqual(['first plan@1', 'second plan@2']);
    expect(view.log.map((line) => line.seq)).toEqual(events.map((entry) => entry.seq));
  });
});

describe('projectRun with an instruction for one role', () => {
  it('keeps it apart from the instruction for every role and lists the bound roles', () => {
    seq = 0;
    const view = projectRun('r1', [
      event('run-start', { task: 't', repo: '/r', roles: [{ role: 'architect' }, { role: 'critic' }] }),
      event('instruction-edit', { instruction: 'be strict', role: 'critic', by: 'api' }),
    ]);
    expect(view.roles).toEqual(['architect', 'critic']);
    expect(view.instruction).toBeUndefined();
    expect(view.roleInstructions).toEqual({ critic: 'be strict' });
  });
});
