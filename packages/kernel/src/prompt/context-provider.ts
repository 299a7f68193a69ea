import type { Workspace } from '@orchestrator/spec';

/** A piece of repository context put in the prompt. */
export interface ContextSection {
  /** Heading, e.g. `Repository files` or the path of a file. */
  title: string;
  /** The text. File contents are wrapped as `<file path="…">…</file>` by the prompt builder. */
  text: string;
  /** Set when the section is a file's content. */
  path?: string;
  /** Set when the section is a retrieved chunk (phase 6); messages cite it in `evidence`. */
  chunkId?: string;
}

/**
 * The hook that feeds repository code into prompts. Phase 1 ships `workspaceContextProvider` (file list plus small
 * files); retrieval (phase 6) plugs in its ranked, cited chunks here.
 */
export type ContextProvider = (input: {
  task: string;
  role: string;
  kind: string;
  workspace: Workspace;
  /** Files the latest proposal plans to touch. */
  plannedFiles: readonly string[];
}) => Promise<ContextSection[]>;

/** Lists the workspace files and includes the content of the planned files and a few small top-level ones. */
export function workspaceContextProvider(
  options: { maxFiles?: number; maxBytesPerFile?: number } = {},
): ContextProvider {
  const maxFiles = options.maxFiles ?? 8;
  const maxBytes = options.maxBytesPerFile ?? 16_000;
  return async ({ workspace, plannedFiles }) => {
    const files = await workspace.listFiles();
    const sections: ContextSection[] = [{ title: 'Repository files', text: files.join('\n') }];
    const wanted = [
      ...plannedFiles.filter((path) => files.includes(path)),
      ...files.filter((path) => !path.includes('/') && /^(readme|package\.json|license)/i.test(path)),
    ];
    for (const path of [...new Set(wanted)].slice(0, maxFiles)) {
      const content = await workspace.readFile(path);
      if (content === undefined || content.length > maxBytes || content.includes('\u0000')) continue;
      sections.push({ title: path, text: content, path });
    }
    return sections;
  };
}
