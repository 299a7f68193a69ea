import type { SecretRedactor } from './redacting-journal-store.ts';
import { awsCredentialValues, policySecretRedactor, redactValues } from './secret-redactor.ts';

/** A run's task and labels with every secret replaced by its fingerprint. */
export interface RedactedRunInput {
  task: string;
  labels: Record<string, string>;
  /** How many of the texts (task, label keys and values) held a secret. */
  redactedTexts: number;
}

/**
 * Redacts the task and the labels before anything is derived from them — the branch name, the prompts, the commit
 * message, the pull request, the journal and the run list (`GET /api/runs`) all start from this text. An AWS key id in
 * one label and its secret in the task are still seen as a pair.
 */
export async function redactRunInput(
  input: { task: string; labels: Record<string, string> },
  redact: SecretRedactor = policySecretRedactor,
): Promise<RedactedRunInput> {
  const texts = [input.task, ...Object.entries(input.labels).flat()];
  const aws = awsCredentialValues(texts.join('\n'));
  let redactedTexts = 0;
  const clean = async (text: string) => {
    const result = await redact(text);
    const cleaned = redactValues(result.text, aws);
    if (cleaned !== text) redactedTexts += 1;
    return cleaned;
  };
  const task = await clean(input.task);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.labels)) labels[await clean(key)] = await clean(value);
  return { task, labels, redactedTexts };
}
