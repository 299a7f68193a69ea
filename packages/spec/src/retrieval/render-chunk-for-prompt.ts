import type { CodeChunk } from './code-chunk.ts';

/**
 * Renders a retrieved chunk for a prompt: a header naming its id (the string a role must cite), its enclosing context,
 * then its lines numbered as in the file, so a role can cite exact line ranges inside the chunk.
 */
export function renderChunkForPrompt(chunk: CodeChunk): string {
  const symbol = chunk.symbol === undefined ? '' : ` symbol="${chunk.symbol}"`;
  const header = `<chunk id="${chunk.id}" path="${chunk.path}" lines="${chunk.startLine}-${chunk.endLine}"${symbol}>`;
  const width = String(chunk.endLine).length;
  const numbered = chunk.text
    .split('\n')
    .map((line, offset) => `${String(chunk.startLine + offset).padStart(width)}│ ${line}`)
    .join('\n');
  const context =
    chunk.context === ''
      ? ''
      : `${chunk.context
          .split('\n')
          .map((line) => `${' '.repeat(width)}┆ ${line}`)
          .join('\n')}\n`;
  return `${header}\n${context}${numbered}\n</chunk>`;
}
