import { redactSecretsInText } from '@orchestrator/policy';
import type { SecretRedactor } from './redacting-journal-store.ts';

/** The policy engine's secret scanner (secretlint rules + keyword/entropy detection) as a redactor for stored data. */
export const policySecretRedactor: SecretRedactor = async (text) => {
  if (text.length < 8) return { text, found: false };
  const result = await redactSecretsInText(text, 'prompt');
  return { text: result.text, found: result.findings.length > 0 };
};
