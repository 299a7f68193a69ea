/** A 0-based, inclusive range of rows with an optional heading that names it. */
export interface RowRange {
  startRow: number;
  endRow: number;
  heading?: string;
}

/** Splits rows `[startRow, endRow]` into windows of at most `size` rows, overlapping by `overlap` rows. */
export function lineWindows(startRow: number, endRow: number, size: number, overlap: number): RowRange[] {
  const windows: RowRange[] = [];
  const step = Math.max(1, size - overlap);
  for (let start = startRow; start <= endRow; start += step) {
    const end = Math.min(endRow, start + size - 1);
    windows.push({ startRow: start, endRow: end });
    if (end === endRow) break;
  }
  return windows;
}

const headingPattern = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** A Markdown section: its rows, its heading and the headings above it (`# Policy` for a `## Passwords` section). */
export interface MarkdownSection extends RowRange {
  /** The enclosing headings, one per line, e.g. `# Security policy`. */
  trail: string;
}

/**
 * Splits a Markdown document at its headings (outside code fences); each section is named after its heading and
 * carries the enclosing headings. A heading with no text of its own is merged into the section that follows.
 */
export function markdownSections(lines: readonly string[]): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  const trail: Array<{ level: number; line: string }> = [];
  let current: MarkdownSection = { startRow: 0, endRow: -1, trail: '' };
  let hasBody = false;
  let inFence = false;
  for (let row = 0; row < lines.length; row += 1) {
    const line = lines[row] ?? '';
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : headingPattern.exec(line);
    if (heading === null) {
      if (line.trim() !== '') hasBody = true;
      continue;
    }
    const level = heading[1]!.length;
    while (trail.length > 0 && trail.at(-1)!.level >= level) trail.pop();
    const enclosing = trail.map((entry) => entry.line).join('\n');
    trail.push({ level, line: line.trim() });
    if (row > current.startRow && hasBody) {
      current.endRow = row - 1;
      sections.push(current);
      current = { startRow: row, endRow: -1, trail: enclosing };
    } else if (row > current.startRow) {
      current.trail = enclosing;
    }
    current.heading = heading[2]!;
    hasBody = false;
  }
  current.endRow = lines.length - 1;
  if (current.endRow >= current.startRow) sections.push(current);
  return sections;
}
