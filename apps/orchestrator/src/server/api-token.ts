import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@orchestrator/spec';

export interface ApiToken {
  /** The bearer token. */
  token: string;
  /** Where it is stored (user-only permissions). */
  path: string;
  /** True when this call generated it: the caller prints it, once. */
  created: boolean;
}

const tokenPattern = /^[A-Za-z0-9_-]{32,}$/;

/**
 * Returns the API bearer token stored in the data directory, generating it on first use (256 random bits, file mode
 * 0600). A file whose permissions drifted is tightened again.
 */
export function loadOrCreateApiToken(dataDir: string): ApiToken {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'api-token');
  try {
    const token = randomBytes(32).toString('base64url');
    // `wx` fails if the file exists, so two servers starting together keep one token.
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return { token, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const token = readFileSync(path, 'utf8').trim();
  if (!tokenPattern.test(token)) {
    throw new UserError({
      code: 'api-token-invalid',
      message: `The API token file ${path} does not hold a valid token.`,
      hint: `Delete ${path}; the next \`orchestrator serve\` generates a new token and prints it once.`,
    });
  }
  return { token, path, created: false };
}
