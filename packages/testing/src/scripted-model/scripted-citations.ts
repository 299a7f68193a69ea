import type { FileEdit } from '@orchestrator/spec';
import type { SeenChunk } from './parse-scripted-prompt.ts';
import type { RepositoryView } from './scripted-tasks.ts';

/** Documents a task's change follows (e.g. a policy): chunks of matching paths, cited at the lines matching `lines`. */
export interface ChunkReferences {
  path: RegExp;
  lines: RegExp;
}

/** A `chunk` evidence entry as the scripted Builder writes it. */
export interface ScriptedChunkEvidence {
  kind: 'chunk';
  chunkId: string;
  startLine: number;
  endLine: number;
  note: string;
}

type LineRange = { startLine: number; endLine: number };

/** The lines of the current file an edit changes; undefined when it rewrites the whole file (or the text is unknown). */
function editedLines(edit: FileEdit, view: RepositoryView): LineRange | undefined {
  if (edit.kind !== 'search-replace') return undefined;
  const content = view.read(edit.path);
  const at = content?.indexOf(edit.search) ?? -1;
  if (content === undefined || at < 0) return undefined;
  const startLine = content.slice(0, at).split('\n').length;
  const lineCount = edit.search.replace(/\n$/, '').split('\n').length;
  return { startLine, endLine: startLine + lineCount - 1 };
}

function pathOf(edit: FileEdit): string | undefined {
  if (edit.kind === 'unified-diff') return undefined;
  return edit.kind === 'rename' ? edit.from : edit.path;
}

function overlap(chunk: SeenChunk, range: LineRange | undefined): LineRange | undefined {
  if (range === undefined) return { startLine: chunk.startLine, endLine: chunk.endLine };
  const startLine = Math.max(chunk.startLine, range.startLine);
  const endLine = Math.min(chunk.endLine, range.endLine);
  return startLine <= endLine ? { startLine, endLine } : undefined;
}

function describe(chunk: SeenChunk): string {
  return chunk.symbol === undefined ? chunk.path : `${chunk.symbol} in ${chunk.path}`;
}

/**
 * The chunks a scripted Builder cites for its edits, deterministically: each retrieved chunk of an edited file that
 * overlaps the edited lines (cited at the overlap), then each retrieved chunk of a reference document (cited at its
 * lines matching the references' pattern). Chunks that are not relevant are not cited.
 */
export function chunkEvidenceFor(input: {
  chunks: readonly SeenChunk[];
  edits: readonly FileEdit[];
  view: RepositoryView;
  references?: ChunkReferences | undefined;
}): ScriptedChunkEvidence[] {
  const evidence: ScriptedChunkEvidence[] = [];
  const cited = new Set<string>();
  for (const edit of input.edits) {
    const path = pathOf(edit);
    const range = editedLines(edit, input.view);
    for (const chunk of input.chunks) {
      if (chunk.path !== path || cited.has(chunk.id)) continue;
      const lines = overlap(chunk, range);
      if (lines === undefined) continue;
      cited.add(chunk.id);
      evidence.push({ kind: 'chunk', chunkId: chunk.id, ...lines, note: `The code changed: ${describe(chunk)}.` });
    }
  }
  const references = input.references;
  if (references === undefined) return evidence;
  for (const chunk of input.chunks) {
    if (cited.has(chunk.id) || !references.path.test(chunk.path)) continue;
    const matching = chunk.lines.flatMap((line, offset) =>
      references.lines.test(line) ? [chunk.startLine + offset] : [],
    );
    const first = matching[0];
    const last = matching.at(-1);
    if (first === undefined || last === undefined) continue;
    cited.add(chunk.id);
    evidence.push({
      kind: 'chunk',
      chunkId: chunk.id,
      startLine: first,
      endLine: last,
      note: `The rule the change follows: ${describe(chunk)}.`,
    });
  }
  return evidence;
}

/** A citation of a chunk that was never retrieved (the `invented-citation` faults), to exercise the kernel's check. */
export function inventedChunkEvidence(edits: readonly FileEdit[]): ScriptedChunkEvidence {
  const path = edits.map(pathOf).find((candidate) => candidate !== undefined) ?? 'src/index.ts';
  return {
    kind: 'chunk',
    chunkId: `${path}:1-400#0123456789ab`,
    startLine: 1,
    endLine: 400,
    note: 'An invented citation.',
  };
}
