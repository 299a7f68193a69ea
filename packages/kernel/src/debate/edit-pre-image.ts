import type { FileEdit, Workspace } from '@orchestrator/spec';

/** The content of every file an edit batch touches, before it is applied (`null` = the file did not exist). */
export type PreImage = Record<string, string | null>;

function pathsOfDiff(diff: string): string[] {
  const paths: string[] = [];
  for (const line of diff.split('\n')) {
    const match = /^(?:---|\+\+\+) (?:[ab]\/)?(.+?)\s*$/.exec(line);
    if (match?.[1] && match[1] !== '/dev/null') paths.push(match[1]);
  }
  return paths;
}

/** Paths an edit batch may change. */
export function touchedPaths(edits: readonly FileEdit[]): string[] {
  const paths = edits.flatMap((edit) => {
    switch (edit.kind) {
      case 'rename':
        return [edit.from, edit.to];
      case 'unified-diff':
        return pathsOfDiff(edit.diff);
      default:
        return [edit.path];
    }
  });
  return [...new Set(paths)].sort();
}

/** Reads the pre-image of the files an edit batch touches. */
export async function capturePreImage(workspace: Workspace, edits: readonly FileEdit[]): Promise<PreImage> {
  const preImage: PreImage = {};
  for (const path of touchedPaths(edits)) preImage[path] = (await workspace.readFile(path)) ?? null;
  return preImage;
}

/**
 * Puts the touched files back to their pre-image, so an edit batch interrupted by a crash (applied or not, fully or
 * not) can be applied again from a known state. Returns false if the workspace refused the restore.
 */
export async function restorePreImage(workspace: Workspace, preImage: PreImage): Promise<boolean> {
  const edits: FileEdit[] = [];
  for (const [path, content] of Object.entries(preImage)) {
    const current = await workspace.readFile(path);
    if (content === null && current !== undefined) edits.push({ kind: 'delete', path });
    if (content !== null && current !== content) edits.push({ kind: 'create', path, content, overwrite: true });
  }
  if (edits.length === 0) return true;
  // The pre-image was in the worktree before: putting it back is never refused for its size.
  const unbounded = { maxEditBytes: Number.POSITIVE_INFINITY, maxFileBytes: Number.POSITIVE_INFINITY };
  return (await workspace.applyEdits(edits, { limits: { ...unbounded, maxDiffBytes: Number.POSITIVE_INFINITY } })).ok;
}
