import { basename } from 'node:path';
import type { ScanTarget } from '../scan-target.ts';
import { isPlaceholder, shannonEntropy } from './entropy.ts';
import type { SecretMatch } from './secret-match.ts';

const templateSuffix = /\.(?:example|sample|template|dist|defaults?|tpl)$/i;

/** True for `.env`, `.env.local`, `.env.production`, `prod.env`…, but not `.env.example` and other templates. */
export function isDotenvPath(path: string): boolean {
  const name = basename(path);
  if (templateSuffix.test(name)) return false;
  if (/^(?:example|sample|template|default)s?[._-]/i.test(name)) return false; // example.env, sample.env
  return /^\.env(?:\..+)?$/i.test(name) || /\.env$/i.test(name);
}

const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;
const sensitiveName = /key|secret|token|passw(?:or)?d|pwd|credential|auth|private|dsn|database_url|connection/i;

/** Committing a `.env` file is itself a finding; every non-placeholder value in it is another. */
export function findDotenvSecrets(target: ScanTarget): SecretMatch[] {
  if (target.deleted === true || !isDotenvPath(target.path) || target.lines.length === 0) return [];
  const first = target.lines[0]!;
  const matches: SecretMatch[] = [
    {
      ruleId: 'secret.dotenv-file',
      scanner: 'dotenv',
      severity: 'high',
      line: first.line,
      value: target.path,
      what: 'A .env file (environment secrets)',
    },
  ];
  for (const { line, text } of target.lines) {
    const match = assignment.exec(text);
    if (match === null) continue;
    const value = (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2');
    if (value.length < 4 || isPlaceholder(value)) continue;
    // Settings such as NODE_ENV=production are not secrets; credential names or random-looking values are.
    if (!sensitiveName.test(match[1] ?? '') && !(value.length >= 16 && shannonEntropy(value) >= 3.5)) continue;
    matches.push({
      ruleId: 'secret.dotenv-value',
      scanner: 'dotenv',
      severity: 'critical',
      line,
      column: text.indexOf(value) + 1,
      value,
      what: `The value of ${match[1]} from a .env file`,
    });
  }
  return matches;
}
