/** Lines of a failing test run's output kept in its `test-run` event. */
export const outputTailLines = 30;
/** Characters kept at most (the tail of the tail when the lines are long). */
export const outputTailCharacters = 4000;

/** C0 and C1 control characters except tab and newline, and ANSI escape sequences (colours, cursor moves, OSC). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const escapeSequence = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * The last lines of a test run's output (stdout, then stderr), bounded in lines and characters, with escape sequences
 * and control characters stripped: safe to print in a terminal, show in the console and put in a prompt.
 */
export function outputTail(stdout: string, stderr: string): string {
  const text = `${stdout.trimEnd()}\n${stderr.trimEnd()}`
    .replace(/\r\n?/g, '\n')
    .replace(escapeSequence, '')
    .replace(controlCharacter, '')
    .trim();
  const lines = text.split('\n');
  const kept = lines.slice(-outputTailLines).join('\n');
  const clipped = kept.length <= outputTailCharacters ? kept : `…${kept.slice(-outputTailCharacters)}`;
  return lines.length > outputTailLines
    ? `[… ${lines.length - outputTailLines} earlier line(s) …]\n${clipped}`
    : clipped;
}

/** True when a run's output must be shown: it failed, or no known format gave its counts. */
export function outputTailWanted(exitCode: number | null, parsed: boolean): boolean {
  return exitCode !== 0 || !parsed;
}
