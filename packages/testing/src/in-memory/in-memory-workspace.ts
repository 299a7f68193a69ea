import type { ApplyResult, EditFailure, FileEdit, Workspace, WorkspaceProvider } from '@orchestrator/spec';
import { createTwoFilesPatch } from 'diff';

function isInside(path: string): boolean {
  return !path.startsWith('/') && !path.split('/').includes('..') && !path.startsWith('.git/');
}

/**
 * A workspace whose files live in a Map: applies search/replace, create, delete and rename edits atomically (unified
 * diffs are refused as `malformed-diff`). For kernel tests; the CLI uses git worktrees.
 */
export class InMemoryWorkspace implements Workspace {
  readonly root: string;
  readonly branch: string;
  readonly baseCommit = 'in-memory-base';
  private readonly base: ReadonlyMap<string, string>;
  private files: Map<string, string>;
  /** Number of `applyEdits` calls, for tests checking that completed steps are not re-executed. */
  applyCalls = 0;

  constructor(options: { root: string; branch: string; files: Record<string, string> }) {
    this.root = options.root;
    this.branch = options.branch;
    this.base = new Map(Object.entries(options.files));
    this.files = new Map(this.base);
  }

  async applyEdits(edits: readonly FileEdit[]): Promise<ApplyResult> {
    this.applyCalls += 1;
    const next = new Map(this.files);
    const failures: EditFailure[] = [];
    const applied: Array<{ editIndex: number; path: string; strategy: 'exact' | 'create' | 'delete' | 'rename' }> = [];
    for (const [editIndex, edit] of edits.entries()) {
      const fail = (path: string, reason: EditFailure['reason'], message: string) =>
        failures.push({ editIndex, path, reason, message });
      if (edit.kind === 'unified-diff') {
        fail('', 'malformed-diff', 'The in-memory workspace does not apply diffs.');
        continue;
      }
      const paths = edit.kind === 'rename' ? [edit.from, edit.to] : [edit.path];
      const outside = paths.find((path) => !isInside(path));
      if (outside !== undefined) {
        fail(outside, 'outside-worktree', `${outside} is outside the worktree.`);
        continue;
      }
      if (edit.kind === 'create') {
        if (next.has(edit.path) && edit.overwrite !== true) {
          fail(edit.path, 'file-exists', `${edit.path} exists.`);
          continue;
        }
        next.set(edit.path, edit.content);
        applied.push({ editIndex, path: edit.path, strategy: 'create' });
        continue;
      }
      if (edit.kind === 'delete') {
        if (!next.delete(edit.path)) {
          fail(edit.path, 'file-missing', `${edit.path} does not exist.`);
          continue;
        }
        applied.push({ editIndex, path: edit.path, strategy: 'delete' });
        continue;
      }
      if (edit.kind === 'rename') {
        const content = next.get(edit.from);
        if (content === undefined) {
          fail(edit.from, 'file-missing', `${edit.from} does not exist.`);
          continue;
        }
        next.delete(edit.from);
        next.set(edit.to, content);
        applied.push({ editIndex, path: edit.to, strategy: 'rename' });
        continue;
      }
      const content = next.get(edit.path);
      if (content === undefined) {
        if (edit.search !== '') {
          fail(edit.path, 'file-missing', `${edit.path} does not exist.`);
          continue;
        }
        next.set(edit.path, edit.replace);
        applied.push({ editIndex, path: edit.path, strategy: 'create' });
        continue;
      }
      const index = content.indexOf(edit.search);
      if (index < 0 || edit.search === '') {
        fail(edit.path, 'no-match', `The search text is not in ${edit.path}.`);
        continue;
      }
      next.set(edit.path, content.slice(0, index) + edit.replace + content.slice(index + edit.search.length));
      applied.push({ editIndex, path: edit.path, strategy: 'exact' });
    }
    if (failures.length > 0) return { ok: false, failures };
    this.files = next;
    return { ok: true, applied };
  }

  async diff(): Promise<string> {
    const paths = [...new Set([...this.base.keys(), ...this.files.keys()])].sort();
    return paths
      .filter((path) => this.base.get(path) !== this.files.get(path))
      .map((path) => {
        const before = this.base.get(path);
        const after = this.files.get(path);
        return createTwoFilesPatch(
          before === undefined ? '/dev/null' : `a/${path}`,
          after === undefined ? '/dev/null' : `b/${path}`,
          before ?? '',
          after ?? '',
          undefined,
          undefined,
          { context: 3 },
        ).replace(/^=+\n/, '');
      })
      .join('');
  }

  async readFile(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  async listFiles(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  /** The current files, for assertions. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(this.files);
  }
}

/** Opens one in-memory workspace per run id (reopening returns the same one), seeded with the given files. */
export class InMemoryWorkspaceProvider implements WorkspaceProvider {
  readonly workspaces = new Map<string, InMemoryWorkspace>();
  private readonly files: Record<string, string>;

  constructor(files: Record<string, string> = {}) {
    this.files = files;
  }

  async open(options: { repo: string; runId: string; slug: string }): Promise<InMemoryWorkspace> {
    const existing = this.workspaces.get(options.runId);
    if (existing) return existing;
    const workspace = new InMemoryWorkspace({
      root: `${options.repo}/.worktrees/${options.runId}`,
      branch: `orchestrator/${options.runId}-${options.slug}`,
      files: this.files,
    });
    this.workspaces.set(options.runId, workspace);
    return workspace;
  }
}
