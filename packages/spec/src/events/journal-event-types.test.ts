import { describe, expect, it } from 'vitest';
import {
  isJournalEventType,
  journalEventTypes,
  parseJournalEventData,
  toTypedJournalEvent,
} from './journal-event-types.ts';

describe('journal event payload schemas', () => {
  it('cover the shared vocabulary, noun-verb, never "finish"', () => {
    expect(journalEventTypes).toEqual(
      expect.arrayContaining([
        'run-start',
        'step-start',
        'model-call-start',
        'model-call-end',
        'model-call-error',
        'message',
        'patch-apply',
        'test-run',
        'policy-verdict',
        'approval-request',
        'pr-open',
        'step-end',
        'run-pause',
        'run-resume',
        'run-end',
      ]),
    );
    expect(journalEventTypes.some((type) => type.includes('finish'))).toBe(false);
  });

  it('validate payloads and reject malformed ones', () => {
    expect(parseJournalEventData('run-pause', { reason: 'turn-cap', detail: 'used 12 turns' })).toEqual({
      reason: 'turn-cap',
      detail: 'used 12 turns',
    });
    expect(() => parseJournalEventData('run-end', { status: 'finished' })).toThrow();
    expect(() =>
      parseJournalEventData('patch-apply', {
        ok: false,
        failures: [{ editIndex: 0, path: 'a', reason: 'nope', message: '' }],
      }),
    ).toThrow();
  });

  it('leave foreign event types alone', () => {
    expect(isJournalEventType('span-end')).toBe(false);
    expect(
      toTypedJournalEvent({ runId: 'r', seq: 1, type: 'span-end', at: '', schemaVersion: 1, data: {} }),
    ).toBeUndefined();
  });
});
