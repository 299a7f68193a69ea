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

/** Splits a Markdown document at its headings (outside code fences); each section is named after its heading. */
export function markdownSections(lines: readonly string[]): RowRange[] {
  const sections: RowRange[] = [];
  let current: RowRange = { startRow: 0, endRow: -1 };
  let inFence = false;
  for (let row = 0; row < lines.length; row += 1) {
    const line = lines[row] ?? '';
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : headingPattern.exec(line);
    if (heading !== null && row > current.startRow) {
      current.endRow = row - 1;
      sections.push(current);
      current = { startRow: row, endRow: -1 };
    }
    if (heading !== null) current.heading = heading[2]!;
  }
  current.endRow = lines.length - 1;
  if (current.endRow >= current.startRow) sections.push(current);
  return sections;
}
