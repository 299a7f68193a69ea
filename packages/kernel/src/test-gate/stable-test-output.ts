/** Durations as test runners print them: `(0.43ms)`, `1.36s`, `120 ms`, `duration_ms 90.98`, `duration_ms: 0.79` (TAP). */
const durationPattern = /\b\d+(?:\.\d+)?\s?(?:ms|s)\b/g;
const durationFieldPattern = /\b(duration_ms|Duration|Time)(:?\s+)\d+(?:\.\d+)?/g;
/** Wall-clock times (`Start at 06:41:08`). */
const clockPattern = /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g;

/**
 * Test output as a prompt shows it: timings and clock times replaced by `…`, so the same tests give the same prompt
 * (identical requests are served from the response cache and the provider's prompt cache). The journal keeps the raw
 * output.
 */
export function stableTestOutput(output: string): string {
  return output
    .replace(durationFieldPattern, (_match, field: string, space: string) => `${field}${space}…`)
    .replace(durationPattern, '…')
    .replace(clockPattern, '…');
}
