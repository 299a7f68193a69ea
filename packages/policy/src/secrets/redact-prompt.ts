import type { PolicyFinding, ScanSource } from '@orchestrator/spec';
import { redactValuesInText } from '../redact-value.ts';
import { targetFromText } from '../scan-target.ts';
import { toSecretFinding } from './secret-match.ts';
import { findSecrets } from './secret-scanner.ts';

/** Text with its secrets replaced by fingerprints, and the findings that say what was removed. */
export interface RedactedText {
  text: string;
  findings: PolicyFinding[];
}

/**
 * Removes secrets from text that is about to leave the machine (a prompt to a model provider, a PR body, a comment):
 * each matched value is replaced by `[REDACTED <fingerprint>]`.
 */
export async function redactSecretsInText(text: string, source: ScanSource = 'prompt'): Promise<RedactedText> {
  const target = targetFromText(source, text);
  const matches = (await findSecrets(target)).filter((match) => match.ruleId !== 'secret.dotenv-file');
  return {
    text: redactValuesInText(
      text,
      matches.map((match) => match.value),
    ),
    findings: matches.map((match) => toSecretFinding(target, match)),
  };
}
