import type { FileEdit } from '@orchestrator/spec';
import { z } from 'zod';

/** Runtime shape of a `FileEdit` (the contract in @orchestrator/spec), checked before any edit is applied. */
export const fileEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('search-replace'), path: z.string(), search: z.string(), replace: z.string() }),
  z.object({ kind: z.literal('unified-diff'), diff: z.string() }),
  z.object({
    kind: z.literal('create'),
    path: z.string(),
    content: z.string(),
    overwrite: z.boolean().exactOptional(),
  }),
  z.object({ kind: z.literal('delete'), path: z.string() }),
  z.object({ kind: z.literal('rename'), from: z.string(), to: z.string() }),
]) satisfies z.ZodType<FileEdit>;
