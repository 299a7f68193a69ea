import { OrchestratorError, redactSecrets } from '@orchestrator/spec';
import pc from 'picocolors';
import yoctoSpinner from 'yocto-spinner';
import { sanitizeTerminalText } from './sanitize-terminal-text.ts';

/** Exit codes: who must act. */
export const exitCodes = { ok: 0, internal: 1, user: 2, model: 3, system: 4, paused: 5 } as const;

export interface Output {
  /** True when `--json` was given: data goes to stdout as one JSON document, progress goes to stderr. */
  readonly json: boolean;
  /** Prints a human line (suppressed in JSON mode), stripped of control sequences (`sanitizeTerminalText`). */
  line(text?: string): void;
  /** Prints data: JSON in JSON mode, otherwise the human rendering. */
  data(value: unknown, human: () => void): void;
  /** Shows progress on stderr while `work` runs; plain lines when stderr is not a terminal. */
  progress<T>(label: string, work: (update: (text: string) => void) => Promise<T>): Promise<T>;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line(text = '') {
      if (!json) process.stdout.write(`${sanitizeTerminalText(text)}\n`);
    },
    data(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(redactSecrets(value), null, 2)}\n`);
      else human();
    },
    async progress(rawLabel, work) {
      const label = sanitizeTerminalText(rawLabel);
      if (!process.stderr.isTTY) {
        if (!json) process.stderr.write(`${label}…\n`);
        return work((text) => {
          if (!json) process.stderr.write(`  ${sanitizeTerminalText(text)}\n`);
        });
      }
      const spinner = yoctoSpinner({ text: label, stream: process.stderr }).start();
      try {
        const result = await work((text) => {
          spinner.text = `${label} — ${sanitizeTerminalText(text)}`;
        });
        spinner.success(label);
        return result;
      } catch (error) {
        spinner.error(label);
        throw error;
      }
    },
  };
}

/** Prints an error the way a user can act on it, and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  if (OrchestratorError.isInstance(error)) {
    if (json) process.stdout.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
    else {
      const message = sanitizeTerminalText(error.message);
      process.stderr.write(`${pc.red('error')} ${pc.dim(`[${sanitizeTerminalText(error.code)}]`)} ${message}\n`);
      if (error.hint) process.stderr.write(`  ${pc.cyan('→')} ${sanitizeTerminalText(error.hint)}\n`);
    }
    return exitCodes[error.actor];
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json)
    process.stdout.write(`${JSON.stringify({ error: { code: 'internal', message: String(error) } }, null, 2)}\n`);
  else
    process.stderr.write(
      `${pc.red('internal error')} ${sanitizeTerminalText(message)}\nThis is a bug in the orchestrator; please report it with the output above.\n`,
    );
  return exitCodes.internal;
}
