/** Key-shaped strings: Anthropic `sk-ant-…`, OpenAI `sk-…`/`sk-proj-…`, OpenRouter `sk-or-…`, bearer tokens. */
const keyPattern = /\b(sk-[A-Za-z0-9_-]{8,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

/** Removes known secrets and anything shaped like an API key from a message meant for users, logs or the journal. */
export function redactCredentialText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  }
  return result.replace(keyPattern, '[REDACTED]');
}
