import { redactSecretsInText, redactValue } from '@orchestrator/policy';
import type { SecretRedactor } from './redacting-journal-store.ts';

/** AWS access key ids (AKIA long-term, ASIA temporary, …); the policy scanner reports them only next to a keyword. */
const awsAccessKeyId = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g;
/** 40 characters of base64: the shape of an AWS secret access key. */
const awsSecretShape = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** Words that say a text is about AWS credentials. */
const awsContext = /\baws|secret.?access.?key/i;

function shannonBitsPerCharacter(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

/** Random-looking: mixed case, a digit or `/`/`+`, high entropy (never a hex digest or a plain word). */
function looksLikeSecretKey(candidate: string): boolean {
  return (
    /[a-z]/.test(candidate) &&
    /[A-Z]/.test(candidate) &&
    /[0-9/+]/.test(candidate) &&
    shannonBitsPerCharacter(candidate) >= 4
  );
}

/**
 * AWS credentials the policy scanner misses in free text (a task, a label, a reply): every access key id, and — when
 * the text holds an access key id or speaks of AWS — every random-looking 40-character base64 run, the secret of the
 * pair, which has no prefix of its own.
 */
export function awsCredentialValues(text: string): string[] {
  const ids = text.match(awsAccessKeyId) ?? [];
  if (ids.length === 0 && !awsContext.test(text)) return [];
  const secrets = (text.match(awsSecretShape) ?? []).filter(looksLikeSecretKey);
  return [...new Set([...ids, ...secrets])];
}

/** Replaces every occurrence of each value by the policy engine's fingerprint (`[REDACTED AKIA…sha256:…]`). */
export function redactValues(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    result = result.split(value).join(`[REDACTED ${redactValue(value)}]`);
  }
  return result;
}

/**
 * The policy engine's secret scanner (secretlint rules + keyword/entropy detection), plus AWS key pairs in free text,
 * as a redactor for everything stored, sent to a model, or derived from a task or a reply.
 */
export const policySecretRedactor: SecretRedactor = async (text) => {
  if (text.length < 8) return { text, found: false };
  // Found in the original text: the scanner may already have replaced the id that gives its secret away.
  const aws = awsCredentialValues(text);
  const result = await redactSecretsInText(text, 'prompt');
  return { text: redactValues(result.text, aws), found: result.findings.length > 0 || aws.length > 0 };
};
