import type { z } from 'zod';
import type { JournalEvent } from '../journal/journal-event.ts';
import { contextPackDataSchema } from './context-events.ts';
import {
  approvalRequestDataSchema,
  patchApplyDataSchema,
  policyVerdictDataSchema,
  prOpenDataSchema,
  testRunDataSchema,
} from './effect-events.ts';
import { testLeftoversDataSchema } from './leftover-events.ts';
import { modelCallEndDataSchema, modelCallErrorDataSchema, modelCallStartDataSchema } from './model-call-events.ts';
import { runEndDataSchema, runPauseDataSchema, runResumeDataSchema, runStartDataSchema } from './run-events.ts';
import { messageDataSchema, stepEndDataSchema, stepStartDataSchema } from './step-events.ts';

/** The payload schema of every shared journal event type (the vocabulary of the team brief). */
export const journalEventDataSchemas = {
  'run-start': runStartDataSchema,
  'step-start': stepStartDataSchema,
  'model-call-start': modelCallStartDataSchema,
  'model-call-end': modelCallEndDataSchema,
  'model-call-error': modelCallErrorDataSchema,
  'context-pack': contextPackDataSchema,
  message: messageDataSchema,
  'patch-apply': patchApplyDataSchema,
  'test-run': testRunDataSchema,
  'test-leftovers': testLeftoversDataSchema,
  'policy-verdict': policyVerdictDataSchema,
  'approval-request': approvalRequestDataSchema,
  'pr-open': prOpenDataSchema,
  'step-end': stepEndDataSchema,
  'run-pause': runPauseDataSchema,
  'run-resume': runResumeDataSchema,
  'run-end': runEndDataSchema,
} as const;

export type JournalEventType = keyof typeof journalEventDataSchemas;
export const journalEventTypes = Object.keys(journalEventDataSchemas) as JournalEventType[];

/** The payload type of an event type. */
export type JournalEventData<Type extends JournalEventType> = z.output<(typeof journalEventDataSchemas)[Type]>;

/** A journal event whose payload is typed by its `type`. */
export type TypedJournalEvent = {
  [Type in JournalEventType]: JournalEvent<Type, JournalEventData<Type>>;
}[JournalEventType];

export function isJournalEventType(type: string): type is JournalEventType {
  return Object.hasOwn(journalEventDataSchemas, type);
}

/** Validates a payload against its type's schema; unknown types are an error (use `isJournalEventType` first). */
export function parseJournalEventData<Type extends JournalEventType>(
  type: Type,
  data: unknown,
): JournalEventData<Type> {
  return journalEventDataSchemas[type].parse(data) as JournalEventData<Type>;
}

/** Narrows a stored event to its typed form after validating its payload; returns undefined for foreign types. */
export function toTypedJournalEvent(event: JournalEvent): TypedJournalEvent | undefined {
  if (!isJournalEventType(event.type)) return undefined;
  const data = parseJournalEventData(event.type, event.data);
  return { ...event, data } as TypedJournalEvent;
}
