import { UserError } from '@orchestrator/spec';

/** A run label: `key=value` (or `key:value`), e.g. `feature=checkout`. */
export interface RunLabel {
  key: string;
  value: string;
}

/** Parses `--label key=value` (or `key:value` when there is no `=`); refuses anything else with `cli-invalid-label`. */
export function parseRunLabel(raw: string): RunLabel {
  const separator = raw.includes('=') ? '=' : ':';
  const at = raw.indexOf(separator);
  const key = at < 0 ? '' : raw.slice(0, at).trim();
  const value = at < 0 ? '' : raw.slice(at + 1).trim();
  if (key === '' || value === '' || key.length > 100 || value.length > 500) {
    throw new UserError({
      code: 'cli-invalid-label',
      message: `--label ${JSON.stringify(raw)} is not key=value.`,
      hint: 'Give a label as key=value, e.g. --label feature=checkout.',
    });
  }
  return { key, value };
}

/** Collects repeated `--label` options (commander's reducer). */
export function collectLabel(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The labels of `--label` options as a record (a later value of a key wins). */
export function labelsOf(raws: readonly string[]): Record<string, string> {
  return Object.fromEntries(raws.map(parseRunLabel).map((label) => [label.key, label.value]));
}
