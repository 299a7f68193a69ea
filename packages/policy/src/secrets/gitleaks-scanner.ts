import { lineIndexAt, lineStarts, type ScanTarget, targetText } from '../scan-target.ts';
import { shannonEntropy } from './entropy.ts';
import {
  type CompiledAllowlist,
  type CompiledRule,
  type CompiledRuleSet,
  gitleaksRuleSet,
  presentKeywords,
} from './gitleaks-rules.ts';
import { isKnownPublicValue } from './known-public-values.ts';
import type { SecretMatch } from './secret-match.ts';

/** A line holding this marker is not scanned (gitleaks' inline allow; `orchestrator:allow-secret` works too). */
const inlineAllow = /gitleaks:allow|orchestrator:allow-secret/;

function allowed(list: CompiledAllowlist, secret: string, match: string, line: string, path: string): boolean {
  const target = list.regexTarget === 'match' ? match : list.regexTarget === 'line' ? line : secret;
  const regexAllowed = list.regexes.some((regex) => regex.test(target));
  const lower = secret.toLowerCase();
  const stopword = list.stopwords.some((word) => lower.includes(word));
  if (list.condition === 'OR') return regexAllowed || stopword;
  const checks: boolean[] = [];
  if (list.paths.length > 0) checks.push(list.paths.some((regex) => regex.test(path)));
  if (list.regexes.length > 0) checks.push(regexAllowed);
  if (list.stopwords.length > 0) checks.push(stopword);
  return checks.length > 0 && checks.every(Boolean);
}

/** An allowlist that skips a whole file: paths only (OR), or AND with paths as the only check. */
function pathAllowed(list: CompiledAllowlist, path: string): boolean {
  if (list.paths.length === 0) return false;
  const onlyPaths = list.regexes.length === 0 && list.stopwords.length === 0;
  return (list.condition === 'OR' || onlyPaths) && list.paths.some((regex) => regex.test(path));
}

function secretOf(rule: CompiledRule, match: RegExpExecArray): string {
  if (match.length < 2) return match[0];
  if (rule.secretGroup !== undefined && rule.secretGroup > 0) return match[rule.secretGroup] ?? '';
  for (const group of match.slice(1)) if (group !== undefined && group !== '') return group;
  return match[0];
}

interface TextView {
  path: string;
  text: string;
  starts: number[];
  lines: ScanTarget['lines'];
}

/**
 * About half of gitleaks' rules have the form `[\w.-]{0,50}?(?:keyword)…`. A backtracking engine tries that lazy
 * prefix at every offset of the text, so these rules search without it (`search`, from the keyword on) and the match
 * is then extended back over at most 50 `[\w.-]` characters: the same leftmost match, found far faster.
 */
function extendBack(text: string, index: number, floor: number): number {
  let start = index;
  const limit = Math.max(floor, index - 50);
  while (start > limit && /[\w.-]/.test(text.charAt(start - 1))) start -= 1;
  return start;
}

function* ruleMatches(rule: CompiledRule, set: CompiledRuleSet, view: TextView): Generator<SecretMatch> {
  const regex = rule.search ?? (rule.regex as RegExp);
  const text = view.text;
  let lastEnd = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    const index = rule.search === undefined ? match.index : extendBack(text, match.index, lastEnd);
    const matched = text.slice(index, match.index + match[0].length);
    lastEnd = match.index + match[0].length;
    const whole = matched.replace(/^\n+|\n+$/g, '');
    const secret = secretOf(rule, match);
    if (secret === '') continue;
    // `"x-token",\n "GPL-3.0"`: a keyword-rule match whose key and value sit on different lines is a list, not an assignment
    if (rule.search !== undefined && match[0].slice(0, match[0].indexOf(secret)).includes('\n')) continue;
    const secretOffset = match.index + Math.max(0, match[0].indexOf(secret));
    const first = lineIndexAt(view.starts, index + matched.indexOf(whole));
    const last = lineIndexAt(view.starts, lastEnd - 1);
    const line = view.text.slice(view.starts[first], (view.starts[last + 1] ?? view.text.length + 1) - 1);
    if (inlineAllow.test(line)) continue;
    if (rule.entropy !== undefined && shannonEntropy(secret) <= rule.entropy) continue;
    if (set.allowlists.some((list) => allowed(list, secret, whole, line, view.path))) continue;
    if (rule.allowlists.some((list) => allowed(list, secret, whole, line, view.path))) continue;
    if (isKnownPublicValue(secret)) continue;
    const secretLine = lineIndexAt(view.starts, secretOffset);
    yield {
      ruleId: `secret.${rule.origin}.${rule.id}`,
      scanner: rule.origin === 'gitleaks' ? 'gitleaks-rules' : 'local-rules',
      severity: rule.id.startsWith('generic') ? 'high' : 'critical',
      line: view.lines[secretLine]?.line ?? secretLine + 1,
      column: secretOffset - (view.starts[secretLine] as number) + 1,
      value: secret,
      what: `A secret (${rule.origin} rule ${rule.id}: ${rule.description.replace(/\.$/, '')})`,
      ...(rule.origin === 'gitleaks'
        ? { docsUrl: `https://github.com/gitleaks/gitleaks/blob/${set.source.tag}/config/gitleaks.toml` }
        : {}),
    };
  }
}

/**
 * Runs gitleaks' rule set over one target, as gitleaks does: the global path allowlist skips the file; each rule
 * runs only when one of its keywords is in the text (case-insensitive); matches at or below the rule's entropy, allowed by
 * a global or rule allowlist, on a line marked `gitleaks:allow`, or known public values are dropped.
 */
export function findWithGitleaksRules(target: ScanTarget, set: CompiledRuleSet = gitleaksRuleSet()): SecretMatch[] {
  if (target.deleted === true || target.lines.length === 0) return [];
  if (set.allowlists.some((list) => pathAllowed(list, target.path))) return [];
  const text = targetText(target);
  const present = presentKeywords(set, target.lines, text);
  const candidates = new Set(set.alwaysRun);
  for (const keyword of present) for (const index of set.rulesByKeyword[keyword] as number[]) candidates.add(index);
  if (candidates.size === 0) return [];
  const view: TextView = { path: target.path, text, starts: lineStarts(target), lines: target.lines };
  const matches: SecretMatch[] = [];
  for (const index of [...candidates].sort((a, b) => a - b)) {
    const rule = set.rules[index] as CompiledRule;
    if (rule.path !== undefined && !rule.path.test(target.path)) continue;
    if (rule.allowlists.some((list) => pathAllowed(list, target.path))) continue;
    if (rule.regex === undefined) {
      if (rule.path !== undefined) {
        matches.push({
          ruleId: `secret.${rule.origin}.${rule.id}`,
          scanner: rule.origin === 'gitleaks' ? 'gitleaks-rules' : 'local-rules',
          severity: 'high',
          line: view.lines[0]?.line ?? 1,
          value: target.path,
          what: `A file that holds secrets by its kind (gitleaks rule ${rule.id})`,
        });
      }
      continue;
    }
    matches.push(...ruleMatches(rule, set, view));
  }
  return matches;
}
