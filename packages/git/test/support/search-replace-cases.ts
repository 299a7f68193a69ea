import type { FileEdit } from '@orchestrator/spec';
import { parsePatch } from 'diff';

/** Turns each hunk of a one-file diff into a search/replace block (old side → new side), as a Builder would write it. */
export function searchReplaceEdits(filePath: string, diff: string): FileEdit[] {
  const [patch] = parsePatch(diff);
  return (patch?.hunks ?? []).map((hunk) => {
    const side = (kinds: string) => {
      let text = '';
      let previousIncluded = false;
      for (const line of hunk.lines) {
        if (line.startsWith('\\')) {
          // "\ No newline at end of file" after a line of this side: that line has no newline.
          if (previousIncluded) text = text.slice(0, -1);
          continue;
        }
        previousIncluded = kinds.includes(line[0] ?? ' ');
        if (previousIncluded) text += `${line.slice(1)}\n`;
      }
      return text;
    };
    return { kind: 'search-replace', path: filePath, search: side(' -'), replace: side(' +') };
  });
}
