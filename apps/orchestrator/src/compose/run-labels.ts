import { UserError } from '@orchestrator/spec';

/** A run label: `key=value` (or `key:value`), e.g. `feature=checkout`. */
export interface RunLabel {
  key: string;
  value: string;
}

const labelPattern = /^([A-Za-z0-9_.-]{1,64})[=:](.{1,200})$/;

/** Parses `--label key=value`; refuses anything else with `cli-invalid-label`. */
export function parseRunLabel(raw: string): RunLabel {
  const match = labelPattern.exec(raw.trim());
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new UserError({
      code: 'cli-invalid-label',
      message: `--label ${JSON.stringify(raw)} is not key=value.`,
      hint: 'Give a label as key=value, e.g. --label feature=checkout (letters, digits, ".", "_" and "-" in the key).',
    });
  }
  return { key: match[1], value: match[2] };
}

/** Collects repeated `--label` options (commander's reducer). */
export function collectLabel(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The labels of `--label` options as a record (a later value of a key wins). */
export function labelsOf(raws: readonly string[]): Record<string, string> {
  return Object.fromEntries(raws.map(parseRunLabel).map((label) => [label.key, label.value]));
}
