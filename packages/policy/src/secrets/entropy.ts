import type { ScanTarget } from '../scan-target.ts';
import type { SecretMatch } from './secret-match.ts';

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

const passwordKey = /(passw(?:or)?d|pwd|passphrase)/i;
/** Names that say the value is a credential (the keyword half of detect-secrets' keyword + entropy approach). */
const keywordAssignment =
  /([A-Za-z0-9_.-]*(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|passphrase|private[_-]?key|access[_-]?key|auth[_-]?key|credentials?)[A-Za-z0-9_-]*)["']?\s*(?::=|=>|=|:)\s*(["'`]?)([^\s"'`,;)}\]]+)\2/gi;

/** Cheap pre-filter: the keyword regex below is costly, and most lines name no credential. */
const credentialWord = /key|secret|token|passw|pwd|passphrase|credential/i;

const placeholder =
  /^(?:x{3,}.*|\*+|\.{3,}|changeme|change[-_]?me|your[-_].*|<.*>|\$\{.*\}?|\$[A-Za-z_].*|\{\{.*|%\(.*|todo|tbd|none|null|nil|undefined|true|false|example.*|dummy.*|fake.*|placeholder|redacted|secret|password|test|testing)$/i;

/** True for values that are references or placeholders rather than literal secrets. */
export function isPlaceholder(value: string): boolean {
  if (placeholder.test(value) || /example|sample|dummy|placeholder|redacted|fake|x{6,}/i.test(value)) return true;
  // references and expressions: process.env.X, os.environ[...], config.get(...), this.token, etc.
  if (/[().[\]]/.test(value) && !/^[A-Za-z0-9+/=_-]+$/.test(value)) return true;
  return /^(?:process|os|env|config|settings|this|self|props|import)\b/i.test(value);
}

function looksGenerated(value: string): boolean {
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  if (!hasDigit || !hasLetter) return false;
  const isHex = /^[0-9a-f]+$/i.test(value);
  return shannonEntropy(value) >= (isHex ? 3.0 : 3.5);
}

/** Literal values assigned to credential-named keys that look generated (high entropy) or are literal passwords. */
export function findHighEntropyAssignments(target: ScanTarget): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const { line, text } of target.lines) {
    if (text.length > 2000 || !credentialWord.test(text)) continue; // minified code: keys never sit in such lines in hand-written diffs
    for (const match of text.matchAll(keywordAssignment)) {
      const key = match[1] ?? '';
      const value = match[3] ?? '';
      if (isPlaceholder(value)) continue;
      const isPassword = passwordKey.test(key);
      const qualifies = isPassword
        ? value.length >= 8 && shannonEntropy(value) >= 2.5 && match[2] !== ''
        : value.length >= 16 && looksGenerated(value);
      if (!qualifies) continue;
      matches.push({
        ruleId: isPassword ? 'secret.hard-coded-password' : 'secret.high-entropy-key',
        scanner: 'entropy',
        severity: 'high',
        line,
        column: (match.index ?? 0) + match[0].indexOf(value) + 1,
        value,
        what: isPassword ? `A hard-coded password (in ${key})` : `A high-entropy credential (in ${key})`,
      });
    }
  }
  return matches;
}
