import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../journal/journal-event.ts';
import { isOperatorControlEvent } from './run-control-events.ts';
import { readRunControlState } from './run-control-state.ts';

let seq = 0;
function event(type: string, data: unknown, stepId?: string): JournalEvent {
  seq += 1;
  return {
    runId: 'run-1',
    seq,
    type,
    at: '2026-11-24T06:00:00.000Z',
    schemaVersion: 1,
    data,
    ...(stepId ? { stepId } : {}),
  };
}

describe('readRunControlState', () => {
  it('folds pause, resume, instruction edits, re-runs and approvals the kernel must honour', () => {
    seq = 0;
    const events = [
      event('run-start', { task: 't' }),
      event('step-start', { role: 'architect', turn: 1, kind: 'propose' }, 'turn-1'),
      event('approval-request', { gate: 'pr-open', reason: 'risky' }),
      event('approval-request', { gate: 'paths', reason: 'secrets dir', approvalId: 'paths-1' }),
      event('run-pause', { reason: 'operator', detail: 'checking' }),
      event('instruction-edit', { instruction: 'also add tests', by: 'api', role: 'builder' }),
      event('step-rerun', { stepId: 'turn-1', by: 'api' }),
      event('approval-decision', { approvalId: '3', decision: 'reject', by: 'api' }),
    ];
    const paused = readRunControlState(events);
    expect(paused).toMatchObject({
      lastSeq: 8,
      status: 'paused',
      pause: { seq: 5, reason: 'operator', detail: 'checking' },
      instruction: { seq: 6, instruction: 'also add tests', role: 'builder' },
      rerunRequests: [{ seq: 7, stepId: 'turn-1' }],
      pendingApprovals: ['paths-1'],
      approvalDecisions: { '3': 'reject' },
      knownSteps: ['turn-1'],
    });
    const resumed = readRunControlState([...events, event('run-resume', { by: 'api' })]);
    expect(resumed.status).toBe('running');
    expect(resumed).not.toHaveProperty('pause');
    const ended = readRunControlState([...events, event('run-end', { status: 'cancelled' }), event('run-pause', {})]);
    expect(ended.status).toBe('ended');
  });

  it('starts as not-started for an empty journal', () => {
    expect(readRunControlState([])).toMatchObject({ status: 'not-started', lastSeq: 0 });
  });
});

describe('isOperatorControlEvent', () => {
  it('tells operator requests from the kernel’s own events', () => {
    expect(isOperatorControlEvent({ type: 'run-pause', data: { reason: 'operator', detail: '' } })).toBe(true);
    expect(isOperatorControlEvent({ type: 'run-pause', data: { reason: 'budget', detail: '' } })).toBe(false);
    expect(isOperatorControlEvent({ type: 'step-rerun', data: {} })).toBe(true);
    expect(isOperatorControlEvent({ type: 'run-resume', data: { by: 'api' } })).toBe(true);
    expect(isOperatorControlEvent({ type: 'model-call-end', data: {} })).toBe(false);
  });
});
