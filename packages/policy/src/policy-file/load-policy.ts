import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@orchestrator/spec';
import { parse as parseYaml } from 'yaml';
import { type PolicyFile, policyFileSchema } from './policy-file-schema.ts';

/** The policy file name, at the repository root. */
export const policyFileName = 'orchestrator.policy.yaml';

/** A loaded policy and where it came from (`undefined` path: no file, built-in defaults). */
export interface LoadedPolicy {
  policy: PolicyFile;
  path: string | undefined;
}

/** Parses policy YAML text; throws a UserError naming the file, the key and the problem. */
export function parsePolicy(text: string, path = policyFileName): PolicyFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new UserError({
      code: 'policy-file-invalid',
      message: `${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      hint: `Fix the YAML syntax in ${path}.`,
      cause: error,
    });
  }
  const parsed = policyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UserError({
      code: 'policy-file-invalid',
      message: `${path} is invalid: ${issues.join('; ')}`,
      hint: `Fix these keys in ${path} (see docs/phases/p9.md for the format).`,
      details: { path, issues },
    });
  }
  return parsed.data;
}

/** Loads `orchestrator.policy.yaml` from the repository root, or the built-in defaults when there is none. */
export async function loadPolicy(root: string): Promise<LoadedPolicy> {
  const path = join(root, policyFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { policy: policyFileSchema.parse({}), path: undefined };
    throw error;
  }
  return { policy: parsePolicy(text, path), path };
}
