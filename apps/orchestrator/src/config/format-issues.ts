import type { z } from 'zod';

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns schema issues into lines that name the key, the value found and what is allowed. */
export function formatSchemaIssues(error: z.ZodError, input: unknown, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = key === '' ? 'at the top level' : `in "${key}"`;
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((name) => `"${name}"`).join(', ')} ${where}: remove or correct ${issue.keys.length > 1 ? 'them' : 'it'}`;
    }
    const found = describeValue(valueAt(input, issue.path));
    return `"${key || '(root)'}": found ${found}; ${issue.message}`;
  });
}
