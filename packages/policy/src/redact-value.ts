import { createHash } from 'node:crypto';

/** sha256 of a value, hex. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * A fingerprint that identifies a matched secret or personal datum without revealing it: the first four characters
 * (none for values shorter than 16, which would reveal too much) and a 12-hex-digit sha256 prefix.
 */
export function redactValue(value: string): string {
  const prefix = value.length >= 16 ? `${value.slice(0, 4)}…` : '';
  return `${prefix}sha256:${sha256Hex(value).slice(0, 12)}`;
}

/** Stable identity of a finding, used by allowlists (`id:` entries) and to de-duplicate review comments. */
export function findingId(ruleId: string, path: string, discriminator: string): string {
  return `${ruleId}:${sha256Hex(`${ruleId}\u0000${path}\u0000${discriminator}`).slice(0, 16)}`;
}

/** Replaces every occurrence of each value in `text` by its fingerprint. */
export function redactValuesInText(text: string, values: Iterable<string>): string {
  let result = text;
  const sorted = [...new Set(values)].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  for (const value of sorted) result = result.split(value).join(`[REDACTED ${redactValue(value)}]`);
  return result;
}
