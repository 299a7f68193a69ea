import { z } from 'zod';
import type { FileEdit } from '../workspace/file-edit.ts';

const relativePath = z.string().min(1).max(4096);

/** Runtime schema of the `FileEdit` contract (packages/spec/src/workspace/file-edit.ts), used to validate model output. */
export const fileEditSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('search-replace'), path: relativePath, search: z.string(), replace: z.string() }),
  z.strictObject({ kind: z.literal('unified-diff'), diff: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('create'),
    path: relativePath,
    content: z.string(),
    overwrite: z.boolean().exactOptional(),
  }),
  z.strictObject({ kind: z.literal('delete'), path: relativePath }),
  z.strictObject({ kind: z.literal('rename'), from: relativePath, to: relativePath }),
]);

// Compile-time proof that the schema and the contract agree in both directions.
type SchemaEdit = z.infer<typeof fileEditSchema>;
const schemaMatchesContract: SchemaEdit extends FileEdit ? (FileEdit extends SchemaEdit ? true : false) : false = true;
void schemaMatchesContract;
