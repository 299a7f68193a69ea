import { createHash } from 'node:crypto';
import { type JournalEvent, journalSchemaVersion, type NewJournalEvent } from '@orchestrator/spec';
import { journalEventInvalidError } from './journal-store-errors.ts';

/** A validated event ready to insert, its payload already serialised. */
export interface PreparedEvent {
  event: JournalEvent;
  dataJson: string;
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates a batch and assigns seq numbers after `lastSeq`, shared by every adapter so they behave alike. */
export function prepareEvents(
  runId: string,
  events: readonly NewJournalEvent[],
  lastSeq: number,
  now: string,
): PreparedEvent[] {
  return events.map((input, index) => {
    if (typeof input.type !== 'string' || input.type.trim() === '') {
      throw journalEventInvalidError(runId, index, 'the type is empty');
    }
    if (input.at !== undefined && !isoTimestamp.test(input.at)) {
      throw journalEventInvalidError(runId, index, `the timestamp ${JSON.stringify(input.at)} is not ISO-8601`);
    }
    let dataJson: string | undefined;
    try {
      dataJson = JSON.stringify(input.data ?? null);
    } catch (error) {
      throw journalEventInvalidError(runId, index, `the data is not serialisable (${(error as Error).message})`);
    }
    const event: JournalEvent = {
      runId,
      seq: lastSeq + index + 1,
      type: input.type,
      ...(input.stepId === undefined ? {} : { stepId: input.stepId }),
      at: input.at ?? now,
      schemaVersion: journalSchemaVersion,
      data: JSON.parse(dataJson) as unknown,
    };
    return { event, dataJson };
  });
}

/** Hex sha256 of UTF-8 content: the blob key. */
export function sha256Hex(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** A stored row, as both adapters read it back. */
export interface EventRow {
  run_id: string;
  seq: number | string | bigint;
  type: string;
  step_id: string | null;
  at: string;
  schema_version: number | string | bigint;
  data: string | unknown;
}

/** Turns a database row into the envelope. */
export function eventFromRow(row: EventRow): JournalEvent {
  return {
    runId: row.run_id,
    seq: Number(row.seq),
    type: row.type,
    ...(row.step_id === null ? {} : { stepId: row.step_id }),
    at: row.at,
    schemaVersion: Number(row.schema_version),
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as unknown) : row.data,
  };
}
