import { type ModelUsage, modelUsageSchema } from '@orchestrator/spec';

/** Validates usage at the cache boundary (written by any process, read by every later run). */
export function parseCachedUsage(value: unknown): ModelUsage {
  return modelUsageSchema.parse(value);
}
