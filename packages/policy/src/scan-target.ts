import type { ScanSource } from '@orchestrator/spec';
import parseDiff from 'parse-diff';

/** One line of scanned text with its 1-based line number in the new version of the file. */
export interface ScanLine {
  line: number;
  text: string;
}

/** A piece of text to scan: the added lines of one file in a diff, a whole file, a commit message, a PR body, a prompt. */
export interface ScanTarget {
  /** Repository-relative path, or a pseudo-path such as `<commit-message>`. */
  path: string;
  /** Where the text came from. */
  source: ScanSource;
  /** The lines to scan (for a diff: only the added lines). */
  lines: readonly ScanLine[];
  /** True when the whole file is new (or scanned whole): licence-text detection then looks at all of it. */
  wholeFile: boolean;
  /** True when the file was deleted (nothing to scan, but the path is known). */
  deleted?: boolean;
}

/** Splits text into numbered lines. */
export function numberLines(text: string, firstLine = 1): ScanLine[] {
  return text.split(/\r?\n/).map((line, index) => ({ line: firstLine + index, text: line }));
}

/** A target for free text such as a commit message, PR body or prompt. */
export function targetFromText(source: ScanSource, text: string, path = `<${source}>`): ScanTarget {
  return { path, source, lines: numberLines(text), wholeFile: true };
}

/** A target for a whole file's content, or for one chunk of a large file (`firstLine`: its first line's number). */
export function targetFromFile(path: string, content: string, firstLine = 1): ScanTarget {
  return { path, source: 'file', lines: numberLines(content, firstLine), wholeFile: firstLine === 1 };
}

/** The targets of a unified diff: per file, the added lines with their new line numbers. Deleted files have no lines. */
export function targetsFromDiff(diff: string): ScanTarget[] {
  const targets: ScanTarget[] = [];
  for (const file of parseDiff(diff)) {
    const deleted = file.deleted === true || file.to === '/dev/null';
    const path = (deleted ? file.from : file.to) ?? file.from ?? '';
    if (path === '') continue;
    const lines: ScanLine[] = [];
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type === 'add') lines.push({ line: change.ln, text: change.content.slice(1) });
      }
    }
    targets.push({ path, source: 'diff', lines, wholeFile: file.new === true, ...(deleted ? { deleted: true } : {}) });
  }
  return targets;
}

/** The text of a target, lines joined. */
export function targetText(target: ScanTarget): string {
  return target.lines.map((line) => line.text).join('\n');
}
