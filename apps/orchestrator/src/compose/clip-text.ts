/** Characters of one model-written field (a summary, a risk, a path) printed to the terminal. */
export const maxPrintedFieldCharacters = 2000;
/** Lines and characters of a diff printed to the terminal (the journal and `runs show --json` keep it whole). */
export const maxPrintedDiffLines = 400;
export const maxPrintedDiffCharacters = 64 * 1024;

/** `text` cut to `maxCharacters`, saying how much was left out. */
export function clipText(text: string, maxCharacters = maxPrintedFieldCharacters): string {
  if (text.length <= maxCharacters) return text;
  return `${text.slice(0, maxCharacters)} [… ${text.length - maxCharacters} more characters not printed]`;
}

/** A multi-line text (a diff) cut to its first lines and characters, ending with what was left out and where it is. */
export function clipLines(
  text: string,
  where: string,
  maxLines = maxPrintedDiffLines,
  maxCharacters = maxPrintedDiffCharacters,
): string {
  const lines = text.split('\n');
  let kept = lines.slice(0, maxLines).join('\n');
  if (kept.length > maxCharacters) kept = kept.slice(0, maxCharacters);
  if (kept.length === text.length) return text;
  const leftLines = text.slice(kept.length).split('\n').length - (text.slice(kept.length).startsWith('\n') ? 1 : 0);
  return `${kept}\n[… ${text.length - kept.length} more characters (${leftLines} line(s)) not printed: ${where}]`;
}
