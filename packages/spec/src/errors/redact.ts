/** Names of headers and fields whose values are credentials and must never be printed or journaled. */
const sensitiveKey = /^(authorization|x-api-key|api[-_]?key|.*token|.*secret|.*password|cookie|set-cookie)$/i;

/** Replaces the values of credential-like keys with `[REDACTED]`, recursively, without mutating the input. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    result[key] = sensitiveKey.test(key) && inner !== undefined && inner !== '' ? '[REDACTED]' : redactSecrets(inner);
  }
  return result as T;
}

/** Masks a credential for display: keeps a short prefix so a user can tell keys apart, hides the rest. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}
