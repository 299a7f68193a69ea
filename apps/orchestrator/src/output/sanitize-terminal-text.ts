import ansiRegex from 'ansi-regex';

/** The parameters of an SGR (colour and weight) sequence, `ESC [ params m`; undefined for any other sequence. */
function sgrParameters(sequence: string): string | undefined {
  const introducer = sequence.startsWith('\u001B[') ? 2 : sequence.startsWith('\u009B') ? 1 : 0;
  if (introducer === 0 || !sequence.endsWith('m')) return undefined;
  const parameters = sequence.slice(introducer, -1);
  return /^[0-9;:]*$/.test(parameters) ? parameters : undefined;
}
/** Conceal (8) hides text; a model could use it to hide what it printed. */
const concealParameter = /(^|[;:])8($|[;:])/;
/**
 * C0 controls other than tab and newline (carriage return and backspace overwrite a printed line, BEL rings), DEL, and
 * C1 controls (0x80–0x9f; some terminals read 0x9b as CSI), plus a lone ESC left by a sequence the pattern did not know.
 */
const controlCharacters = String.raw`[\u0000-\u0008\u000B-\u001F\u007F-\u009F]`;
/** One pass: a sequence is matched whole before its ESC could be taken for a lone control character. */
const unsafe = new RegExp(`${ansiRegex().source}|${controlCharacters}`, 'g');

/**
 * Text as it may reach a terminal: every escape sequence removed (OSC 52 clipboard writes, window titles, cursor
 * movement, screen clearing, hyperlinks, device queries), every control character but tab and newline removed, and
 * only plain SGR colour sequences kept (so the CLI's own colours survive; concealed text does not). Whatever a model,
 * a repository or a provider error wrote, it can then neither rewrite earlier lines nor talk to the terminal.
 */
export function sanitizeTerminalText(text: string): string {
  return text.replace(unsafe, (match) => {
    const parameters = sgrParameters(match);
    return parameters !== undefined && !concealParameter.test(parameters) ? match : '';
  });
}
