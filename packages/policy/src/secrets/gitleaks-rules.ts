import { readFileSync } from 'node:fs';
import type { ConvertedRegex } from './go-regex.ts';
import { createKeywordMatcher, type KeywordMatcher } from './keyword-matcher.ts';
import { localRules, secretlintIndicators } from './local-rules.ts';

/** An allowlist of gitleaks' format: with `OR`, a regex or stopword match allows; with `AND`, every listed check must. */
export interface GitleaksAllowlist {
  condition: 'AND' | 'OR';
  /** What the regexes are tried on: the secret (default), the whole match, or the line. */
  regexTarget: 'secret' | 'match' | 'line';
  regexes: ConvertedRegex[];
  paths: ConvertedRegex[];
  /** Lower-case words: a secret containing one is allowed. */
  stopwords: string[];
}

/** One rule of gitleaks' rule set, converted to JavaScript regexes by scripts/sync-gitleaks-rules.ts. */
export interface GitleaksRule {
  id: string;
  description: string;
  regex?: ConvertedRegex;
  /** Only files whose path matches are scanned (alone: the file's presence is the finding). */
  path?: ConvertedRegex;
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret; at or below it the match is dropped. */
  entropy?: number;
  /** Lower-case keywords: the rule runs only on text containing one of them. */
  keywords: string[];
  allowlists: GitleaksAllowlist[];
}

/** A rule or allowlist pattern that could not be converted, with the reason. */
export interface Unconverted {
  where: string;
  pattern: string;
  reason: string;
}

/** The converted rule file (packages/policy/data/gitleaks-rules.json). */
export interface GitleaksRuleFile {
  source: { repository: string; path: string; tag: string; commit: string; licence: string };
  allowlists: GitleaksAllowlist[];
  rules: GitleaksRule[];
  unconverted: Unconverted[];
}

/** A compiled allowlist. */
export interface CompiledAllowlist {
  condition: 'AND' | 'OR';
  regexTarget: 'secret' | 'match' | 'line';
  regexes: RegExp[];
  paths: RegExp[];
  stopwords: string[];
}

/** A compiled rule: `regex` carries the `g` flag. */
export interface CompiledRule {
  id: string;
  /** `gitleaks` for the upstream rule set, `orchestrator` for local-rules.ts. */
  origin: 'gitleaks' | 'orchestrator';
  description: string;
  regex: RegExp | undefined;
  /**
   * For rules of the form `[\w.-]{0,50}?(?:keyword)…`: the regex without that lazy prefix (`g` flag), searched
   * instead; the scanner extends each match back over the prefix.
   */
  search: RegExp | undefined;
  path: RegExp | undefined;
  secretGroup: number | undefined;
  entropy: number | undefined;
  keywords: string[];
  allowlists: CompiledAllowlist[];
}

/** A compiled rule set. */
export interface CompiledRuleSet {
  source: GitleaksRuleFile['source'];
  allowlists: CompiledAllowlist[];
  rules: CompiledRule[];
  /** Every keyword of every rule, once. */
  keywords: string[];
  /** Finds which of `keywords` a text holds, in one pass. */
  matcher: KeywordMatcher;
  /** Per rule (same order as `rules`), the indexes of its keywords in `keywords`. */
  ruleKeywords: number[][];
  /** Per keyword (same order as `keywords`), the indexes of the rules it lets run. */
  rulesByKeyword: number[][];
  /** Rules without keywords: they run on every text. */
  alwaysRun: number[];
  /** Indexes in `keywords` of the extra keywords given to `compileRuleSet` (not tied to a rule). */
  extraKeywords: number[];
  unconverted: Unconverted[];
}

const lazyPrefix = '[\\w.-]{0,50}?';

const compile = (regex: ConvertedRegex, extraFlags = ''): RegExp => new RegExp(regex.source, regex.flags + extraFlags);

function compileAllowlist(entry: GitleaksAllowlist): CompiledAllowlist {
  return {
    condition: entry.condition,
    regexTarget: entry.regexTarget,
    regexes: entry.regexes.map((regex) => compile(regex)),
    paths: entry.paths.map((regex) => compile(regex)),
    stopwords: entry.stopwords,
  };
}

/** Compiles a rule file, and local rules (same format) after its own. */
export function compileRuleSet(
  file: GitleaksRuleFile,
  local: readonly GitleaksRule[] = [],
  extra: readonly string[] = [],
): CompiledRuleSet {
  const origins = [
    ...file.rules.map((rule) => ['gitleaks', rule] as const),
    ...local.map((rule) => ['orchestrator', rule] as const),
  ];
  const rules = origins.map(
    ([origin, rule]): CompiledRule => ({
      id: rule.id,
      origin,
      description: rule.description,
      regex: rule.regex === undefined ? undefined : compile(rule.regex, 'g'),
      search:
        rule.regex?.source.startsWith(lazyPrefix) === true && rule.keywords.length > 0
          ? compile({ source: rule.regex.source.slice(lazyPrefix.length), flags: rule.regex.flags }, 'g')
          : undefined,
      path: rule.path === undefined ? undefined : compile(rule.path),
      secretGroup: rule.secretGroup,
      entropy: rule.entropy,
      keywords: rule.keywords,
      allowlists: rule.allowlists.map(compileAllowlist),
    }),
  );
  const keywords = [...new Set([...rules.flatMap((rule) => rule.keywords), ...extra])];
  const index = new Map(keywords.map((keyword, position) => [keyword, position]));
  const ruleKeywords = rules.map((rule) => rule.keywords.map((keyword) => index.get(keyword) as number));
  const rulesByKeyword = keywords.map(() => [] as number[]);
  ruleKeywords.forEach((ids, rule) => {
    for (const id of ids) rulesByKeyword[id]?.push(rule);
  });
  return {
    source: file.source,
    allowlists: file.allowlists.map(compileAllowlist),
    rules,
    keywords,
    matcher: createKeywordMatcher(keywords),
    ruleKeywords,
    rulesByKeyword,
    alwaysRun: ruleKeywords.flatMap((ids, rule) => (ids.length === 0 ? [rule] : [])),
    extraKeywords: extra.map((keyword) => index.get(keyword) as number),
    unconverted: file.unconverted,
  };
}

let builtIn: CompiledRuleSet | undefined;

/**
 * gitleaks' default rule set at the pinned version (see packages/policy/data/PROVENANCE.md) and the local rules,
 * compiled once.
 */
export function gitleaksRuleSet(): CompiledRuleSet {
  if (builtIn === undefined) {
    const path = new URL('../../data/gitleaks-rules.json', import.meta.url);
    builtIn = compileRuleSet(
      JSON.parse(readFileSync(path, 'utf8')) as GitleaksRuleFile,
      localRules,
      secretlintIndicators,
    );
  }
  return builtIn;
}

const presentCache = new WeakMap<CompiledRuleSet, WeakMap<object, Set<number>>>();

/** The keywords of `set` present in a text, cached by `owner` (a target's lines): several scanners ask. */
export function presentKeywords(set: CompiledRuleSet, owner: object, text: string): Set<number> {
  let cache = presentCache.get(set);
  if (cache === undefined) {
    cache = new WeakMap();
    presentCache.set(set, cache);
  }
  let present = cache.get(owner);
  if (present === undefined) {
    present = set.matcher.present(text);
    cache.set(owner, present);
  }
  return present;
}
