import {
  type JournalEvent,
  type JournalEventData,
  type JournalEventType,
  journalEventDataSchemas,
  runControlEventDataSchemas,
} from '@orchestrator/spec';

/**
 * Returns an event's payload typed by its type when it matches the shared schema, else undefined. Projections use this
 * instead of throwing: one malformed or foreign event must not hide a whole run's dashboard.
 */
export function dataOf<Type extends JournalEventType>(
  event: JournalEvent,
  type: Type,
): JournalEventData<Type> | undefined {
  if (event.type !== type) return undefined;
  const parsed = journalEventDataSchemas[type].safeParse(event.data);
  return parsed.success ? (parsed.data as JournalEventData<Type>) : undefined;
}

type ControlSchemas = typeof runControlEventDataSchemas;

/** The same for the control events the API appends (`instruction-edit`, `step-rerun`, `approval-decision`). */
export function controlDataOf<Type extends keyof ControlSchemas>(
  event: JournalEvent,
  type: Type,
): ReturnType<ControlSchemas[Type]['parse']> | undefined {
  if (event.type !== type) return undefined;
  const parsed = runControlEventDataSchemas[type].safeParse(event.data);
  return parsed.success ? (parsed.data as ReturnType<ControlSchemas[Type]['parse']>) : undefined;
}

/** Reads a string field of an untyped payload. */
export function stringField(data: unknown, name: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
