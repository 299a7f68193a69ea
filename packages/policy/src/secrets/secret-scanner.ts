import type { PolicyFinding } from '@orchestrator/spec';
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { type ScanTarget, targetText } from '../scan-target.ts';
import { findDotenvSecrets, isDotenvPath } from './dotenv.ts';
import { findHighEntropyAssignments, isConfigPath, isPlaceholder, looksLikeWords, shannonEntropy } from './entropy.ts';
import { extraSecretPatterns } from './extra-secret-patterns.ts';
import { gitleaksRuleSet, presentKeywords } from './gitleaks-rules.ts';
import { findWithGitleaksRules } from './gitleaks-scanner.ts';
import { isKnownPublicValue } from './known-public-values.ts';
import { type SecretMatch, toSecretFinding } from './secret-match.ts';

const secretlintConfig: SecretLintCoreConfig = {
  rules: [
    { id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset, options: {} },
    {
      id: '@secretlint/secretlint-rule-pattern',
      rule: patternRule,
      options: {
        patterns: extraSecretPatterns.map((entry) => ({ name: entry.id, patterns: [String(entry.pattern)] })),
      },
    },
  ],
};

/** A line marked `gitleaks:allow` (or `orchestrator:allow-secret`) is not reported, whichever scanner matched. */
const inlineAllowed = /gitleaks:allow|orchestrator:allow-secret/;

/** Matches that are documentation look-alikes: `ghp_xxxx…`, `xoxb-your-token`, a run of one character. */
function looksLikePlaceholder(value: string): boolean {
  const credentials = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]+):([^@/\s]+)@/i.exec(value);
  if (credentials !== null && credentials[1] === credentials[2]) return true; // postgres://postgres:postgres@localhost
  return (
    /your[-_]|x{8,}|X{8,}|\*{4,}|0{12,}|<[^>]*>|\$\{/.test(value) || (value.length >= 16 && shannonEntropy(value) < 2.5)
  );
}

function describe(messageId: string | undefined, ruleId: string): string {
  const words = (messageId ?? ruleId.replace(/^@secretlint\/secretlint-rule-/, ''))
    .toLowerCase()
    .replace(/[_-]+/g, ' ')
    .trim();
  return `A secret (${words})`;
}

function ruleName(ruleId: string, messageId: string | undefined): string {
  const rule = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return `secret.${rule}${messageId === undefined ? '' : `.${messageId.toLowerCase().replace(/_/g, '-')}`}`;
}

// secretlint's profiler, a development aid, puts a performance mark per rule per file into the global buffer and keeps
// every entry in memory: over a large tree, or in a long-lived worker, that grows without bound (a million entries
// on node_modules). Nothing here reads the profile, so recording is turned off.
(secretLintProfiler as unknown as { mark: (marker: unknown) => void }).mark = () => {};

/** Credentials in a URL (`scheme://user:password@host`): what secretlint's basic-auth and database rules look for. */
const urlCredentials = /:\/\/[^\s/:@]{1,100}:[^\s/@]{1,200}@/;
/** The indicators again, case-sensitive as secretlint's rules are: checked once the prefilter found one. */
const caseSensitiveIndicators =
  /hooks\.slack\.com|xox[abporx]-|xapp-|(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}|[Ss][Ee][Cc][Rr][Ee][Tt]_?[Aa][Cc][Cc][Ee][Ss][Ss]_?[Kk][Ee][Yy]|PRIVATE KEY|_auth|x-oauth-basic|npm_|gh[pousr]_|github_pat_|shp(?:pa|ca|at|ss)_|SG\.|dapi|dckr_pat_|figd_|glc_|glpat-|glsa_|gsk_|hf_|hv[bsr]\.|lin_api_|ntn_|ops_ey|T3BlbkFJ|sk-ant-|vc[pickr]_|[sr]k_live_|AIza|eyJ/;

/**
 * secretlint runs only on texts holding one of the literals its rules need (local-rules.ts `secretlintIndicators`,
 * found by the keyword prefilter) or credentials in a URL: most files hold none, and secretlint costs far more per
 * file than the prefilter. A test checks that no finding of the labelled sets is lost.
 */
export function mayInterestSecretlint(target: ScanTarget): boolean {
  const set = gitleaksRuleSet();
  const text = targetText(target);
  const present = presentKeywords(set, target.lines, text);
  return (
    (set.extraKeywords.some((keyword) => present.has(keyword)) && caseSensitiveIndicators.test(text)) ||
    (text.includes('@') && urlCredentials.test(text)) ||
    isDotenvPath(target.path)
  );
}

/** Runs secretlint's recommended preset (a maintained rule set) over the target's lines. */
async function findWithSecretlint(target: ScanTarget): Promise<SecretMatch[]> {
  if (target.lines.length === 0) return [];
  const content = targetText(target);
  if (!mayInterestSecretlint(target)) return [];
  const result = await lintSource({
    source: { filePath: target.path, content, ext: '', contentType: 'text' },
    options: { config: secretlintConfig, maskSecrets: true, noPhysicFilePath: true },
  });
  const matches: SecretMatch[] = [];
  for (const message of result.messages) {
    const lineIndex = message.loc.start.line - 1;
    const scanned = target.lines[lineIndex];
    if (scanned === undefined) continue;
    const value = content.slice(message.range[0], message.range[1]);
    if (looksLikePlaceholder(value) || isKnownPublicValue(value) || inlineAllowed.test(scanned.text)) continue;
    const extra = message.ruleId.endsWith('-pattern')
      ? extraSecretPatterns.find((entry) => entry.pattern.test(value))
      : undefined;
    matches.push({
      ruleId: extra === undefined ? ruleName(message.ruleId, message.messageId) : `secret.${extra.id}`,
      scanner: 'secretlint',
      severity: message.severity === 'info' ? 'medium' : 'critical',
      line: scanned.line,
      column: message.loc.start.column + 1,
      value,
      what: extra?.what ?? describe(message.messageId, message.ruleId),
      ...(message.docsUrl === undefined ? {} : { docsUrl: message.docsUrl }),
    });
  }
  return matches;
}

function lineText(target: ScanTarget, line: number): string {
  return target.lines.find((scanned) => scanned.line === line)?.text ?? '';
}

/**
 * gitleaks' generic rule matches any `key = value`; in code, an unquoted identifier or member expression is a
 * reference (`exports.k8sTokenProvider = k8sTokenProvider`), and names in words are not keys, whatever their entropy.
 */
function plausibleGeneric(target: ScanTarget, match: SecretMatch): boolean {
  const before = lineText(target, match.line).charAt((match.column ?? 1) - 2);
  const literal = /["'`]/.test(before) || isConfigPath(target.path);
  return !isPlaceholder(match.value, literal) && !looksLikeWords(match.value);
}

function overlaps(a: SecretMatch, b: SecretMatch): boolean {
  return a.line === b.line && (a.value.includes(b.value) || b.value.includes(a.value));
}

/**
 * Every secret in one target, WITH values (internal: use `scanSecrets` for printable findings).
 * Order of trust: secretlint's rules (stable, vendor-specific ids), then gitleaks' rule set (what secretlint lacks),
 * then `.env` files, then keyword + entropy for generic keys, then gitleaks' generic rule; overlapping matches keep
 * the first.
 */
export async function findSecrets(target: ScanTarget): Promise<SecretMatch[]> {
  if (target.deleted === true) return [];
  const found: SecretMatch[] = [];
  const gitleaks = findWithGitleaksRules(target);
  const isGeneric = (match: SecretMatch) => match.ruleId.startsWith('secret.gitleaks.generic-');
  const candidates = [
    ...(await findWithSecretlint(target)),
    ...gitleaks.filter((match) => !isGeneric(match)),
    ...findDotenvSecrets(target),
    ...findHighEntropyAssignments(target).filter((match) => !inlineAllowed.test(lineText(target, match.line))),
    ...gitleaks.filter((match) => isGeneric(match) && plausibleGeneric(target, match)),
  ];
  for (const candidate of candidates) {
    if (candidate.ruleId !== 'secret.dotenv-file' && isKnownPublicValue(candidate.value)) continue;
    if (candidate.ruleId !== 'secret.dotenv-file' && found.some((kept) => overlaps(kept, candidate))) continue;
    found.push(candidate);
  }
  return found;
}

/** Scans targets for secrets; the findings carry redacted fingerprints only. */
export async function scanSecrets(targets: readonly ScanTarget[]): Promise<PolicyFinding[]> {
  const findings: PolicyFinding[] = [];
  for (const target of targets) {
    for (const match of await findSecrets(target)) findings.push(toSecretFinding(target, match));
  }
  return findings;
}
