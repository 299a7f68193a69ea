import { lineIndexAt, lineStarts, type ScanTarget, targetText } from '../scan-target.ts';
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
const credentialWord = /key|secret|token|passw|pwd|passphrase|credential/gi;

/** The lines holding a credential word: one search over the whole text instead of a test per line. */
function* linesWithCredentialWords(target: ScanTarget): Generator<ScanTarget['lines'][number]> {
  const text = targetText(target);
  const starts = lineStarts(target);
  credentialWord.lastIndex = 0;
  for (let found = credentialWord.exec(text); found !== null; found = credentialWord.exec(text)) {
    const index = lineIndexAt(starts, found.index);
    const scanned = target.lines[index];
    if (scanned !== undefined) yield scanned;
    credentialWord.lastIndex = starts[index + 1] ?? text.length;
  }
}

const placeholder =
  /^(?:x{3,}.*|\*+|\.{3,}|changeme|change[-_]?me|your[-_].*|<.*>|\$\{.*\}?|\$[A-Za-z_].*|\{\{.*|%\(.*|todo|tbd|none|null|nil|undefined|true|false|example.*|dummy.*|fake.*|placeholder|redacted|secret|password|test|testing)$/i;

/** Configuration formats where an unquoted value is a literal (in code, an unquoted value is an expression). */
const configPath = /(?:\.(?:ya?ml|ini|cfg|conf|properties|toml|env|npmrc|pypirc|netrc)|(?:^|\/)\.env(?:\.[\w-]+)?)$/i;

/** True for paths of configuration files, where `key: value` holds a literal even without quotes. */
export function isConfigPath(path: string): boolean {
  return configPath.test(path);
}

const placeholderWord = /example|sample|dummy|placeholder|redacted|fake|x{6,}/i;

/** Base64 of placeholder text (`ZHVtbXkgdGV4dA==` is "dummy text"): printable ASCII with a placeholder word. */
function decodesToPlaceholder(value: string): boolean {
  if (value.length < 12 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return /^[\x20-\x7e]+$/.test(decoded) && placeholderWord.test(decoded);
}

/** An identifier or a member/call expression: `k8sTokenProvider`, `config.auth.secret`, `os.environ["X"]`, `f(x)`. */
const expression = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\[[^\]]*\]?|\(.*)*$/;

/**
 * True for values that are references or placeholders rather than literal secrets. `literal` says the value is a
 * quoted string (or sits in a configuration file): then dots, digits and brackets are part of the value, never a sign
 * of code; unquoted in code, an identifier or member expression is a reference.
 */
export function isPlaceholder(value: string, literal = true): boolean {
  if (placeholder.test(value) || placeholderWord.test(value) || decodesToPlaceholder(value)) return true;
  if (/^(?:\$\{|\$\(|\{\{|%\(|<%)/.test(value)) return true; // templates: ${X}, $(X), {{ x }}, %(x)s
  if (literal) return false;
  // `a.b=c.d=void`: chained assignments in minified code are expressions too
  if (value.split('=').every((part) => part === '' || expression.test(part))) return true;
  return /^(?:process|os|env|config|settings|this|self|props|import)\b/i.test(value);
}

/** True for camelCase, snake_case or kebab-case words (`serviceAccountTokenProvider2`): names, not keys. */
export function looksLikeWords(value: string): boolean {
  const segments = value.split(/(?=[A-Z][a-z])|[_\-.]+/).filter((segment) => segment !== '');
  if (segments.length < 2) return false;
  const wordy = segments.every((segment) =>
    /^(?:[A-Za-z][a-z]{2,}|[A-Z]{2,5}|[a-z]{1,3})\d{0,2}$|^\d{1,2}$/.test(segment),
  );
  return wordy && value.replace(/[^A-Za-z]/g, '').length / value.length >= 0.85;
}

function looksGenerated(value: string): boolean {
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  if (!hasDigit || !hasLetter || value.includes('://')) return false; // URLs: the connection-string rules judge them
  const isHex = /^[0-9a-f]+$/i.test(value);
  return shannonEntropy(value) >= (isHex ? 3.0 : 3.5);
}

/** Literal values assigned to credential-named keys that look generated (high entropy) or are literal passwords. */
export function findHighEntropyAssignments(target: ScanTarget): SecretMatch[] {
  const matches: SecretMatch[] = [];
  const inConfig = isConfigPath(target.path);
  for (const { line, text } of linesWithCredentialWords(target)) {
    if (text.length > 2000) continue; // minified code: keys never sit in such lines in hand-written diffs
    for (const match of text.matchAll(keywordAssignment)) {
      const key = match[1] ?? '';
      const value = match[3] ?? '';
      const literal = match[2] !== '' || inConfig;
      if (isPlaceholder(value, literal) || looksLikeWords(value)) continue;
      const isPassword = passwordKey.test(key);
      const qualifies = isPassword
        ? value.length >= 8 && shannonEntropy(value) >= 2.5 && literal && !/^[a-z]+$/.test(value) // "different": a word
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
