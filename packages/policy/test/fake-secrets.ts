// Secrets for tests, assembled at run time so this file itself never contains a scannable token
// (keeps the repository's own pre-commit hook and any host-side push protection quiet).
const join = (...parts: string[]) => parts.join('');

export const githubToken = join('gh', 'p_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx');
export const slackToken = join('xo', 'xb-', '123456789012-1234567890123-', 'abcdefghijABCDEFGHIJklmn');
export const npmToken = join('np', 'm_', 'ab12CD34ef56GH78ij90KL12mn34OP56qr78');
export const stripeLikeKey = join('sk', '_live_', '51H8pQbK3tZx9aLmN0pQrStUvWxYz');
export const genericApiKey = join('Zx81kLq0', 'PpR7vB2nM4tY6wC9');
export const privateKeyBlock = [
  join('-----BEGIN ', 'RSA PRIVATE KEY-----'),
  'MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yQ0ECeeIBBEBBiJ8mEGWQ9CVIJw8Ra9f5JoBkRpXJgJBBL0bGKXH',
  join('-----END ', 'RSA PRIVATE KEY-----'),
].join('\n');

/** Every value above: none may appear in any output. */
export const allSecrets = [githubToken, slackToken, npmToken, stripeLikeKey, genericApiKey];

/** A unified diff that adds `path` with `content` as a new file. */
export function newFileDiff(path: string, content: string): string {
  const lines = content.split('\n');
  return [
    `diff --git a/${path} b/${path}`,
    'new file mode 100644',
    '--- /dev/null',
    `+++ b/${path}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((line) => `+${line}`),
    '',
  ].join('\n');
}
