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

/** The joined text of each target's lines, computed once (several scanners ask for it). */
const texts = new WeakMap<readonly ScanLine[], string>();

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
  const lines = numberLines(content, firstLine);
  // The joined text is the content itself (line ends normalised): no need to join the lines again.
  texts.set(lines, content.includes('\r') ? content.replace(/\r\n/g, '\n') : content);
  return { path, source: 'file', lines, wholeFile: firstLine === 1 };
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

/** The text of a target, lines joined (computed once per target: several scanners ask for it). */
export function targetText(target: ScanTarget): string {
  let text = texts.get(target.lines);
  if (text === undefined) {
    text = target.lines.map((line) => line.text).join('\n');
    texts.set(target.lines, text);
  }
  return text;
}

const starts = new WeakMap<readonly ScanLine[], number[]>();

/** Offsets in `targetText(target)` of every line start (computed once per target). */
export function lineStarts(target: ScanTarget): number[] {
  let offsets = starts.get(target.lines);
  if (offsets === undefined) {
    offsets = [0];
    let offset = 0;
    for (const line of target.lines.slice(0, -1)) {
      offset += line.text.length + 1;
      offsets.push(offset);
    }
    starts.set(target.lines, offsets);
  }
  return offsets;
}

/** The index (into `target.lines`) of the line holding a text offset, given `lineStarts(target)`. */
export function lineIndexAt(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((offsets[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
