// Converts a gitleaks rule file (config/gitleaks.toml, MIT) into packages/policy/data/gitleaks-rules.json, the rule
// set the secret scanner loads: Go regexes become JavaScript regexes (convertGoRegex), and rules or allowlist
// entries that cannot be converted are listed under `unconverted` and printed, never dropped silently.
//
//   ./node_modules/.bin/node scripts/sync-gitleaks-rules.ts <path/to/gitleaks.toml> <tag> <commit>
//
// Keep packages/policy/data/PROVENANCE.md in step with the tag and commit.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import type {
  GitleaksAllowlist,
  GitleaksRule,
  GitleaksRuleFile,
  Unconverted,
} from '../packages/policy/src/secrets/gitleaks-rules.ts';
import { type ConvertedRegex, convertGoRegex } from '../packages/policy/src/secrets/go-regex.ts';

interface TomlAllowlist {
  description?: string;
  condition?: string;
  regexTarget?: string;
  regexes?: string[];
  paths?: string[];
  stopwords?: string[];
  commits?: string[];
}

interface TomlRule {
  id: string;
  description?: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  allowlists?: TomlAllowlist[];
}

const [tomlPath, tag, commit] = process.argv.slice(2);
if (tomlPath === undefined || tag === undefined || commit === undefined || !/^[0-9a-f]{40}$/.test(commit)) {
  console.error('usage: node scripts/sync-gitleaks-rules.ts <gitleaks.toml> <tag, e.g. v8.30.1> <40-hex commit>');
  process.exit(2);
}
const output = new URL('../packages/policy/data/gitleaks-rules.json', import.meta.url);
const toml = parse(readFileSync(tomlPath, 'utf8')) as unknown as {
  allowlist?: TomlAllowlist;
  allowlists?: TomlAllowlist[];
  rules: TomlRule[];
};

const unconverted: Unconverted[] = [];

function convertAll(patterns: readonly string[] | undefined, where: string): ConvertedRegex[] {
  const converted: ConvertedRegex[] = [];
  for (const pattern of patterns ?? []) {
    try {
      converted.push(convertGoRegex(pattern));
    } catch (error) {
      unconverted.push({ where, pattern, reason: (error as Error).message });
    }
  }
  return converted;
}

function allowlist(entry: TomlAllowlist, where: string): GitleaksAllowlist {
  const target = entry.regexTarget ?? 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    throw new Error(`${where}: unknown regexTarget ${target}`);
  return {
    condition: entry.condition?.toUpperCase() === 'AND' ? 'AND' : 'OR',
    regexTarget: target,
    regexes: convertAll(entry.regexes, `${where} regexes`),
    paths: convertAll(entry.paths, `${where} paths`),
    stopwords: (entry.stopwords ?? []).map((word) => word.toLowerCase()),
  };
}

const rules: GitleaksRule[] = [];
for (const rule of toml.rules) {
  let regex: ConvertedRegex | undefined;
  let path: ConvertedRegex | undefined;
  try {
    if (rule.regex !== undefined) regex = convertGoRegex(rule.regex);
    if (rule.path !== undefined) path = convertGoRegex(rule.path);
  } catch (error) {
    unconverted.push({
      where: `rule ${rule.id}`,
      pattern: rule.regex ?? rule.path ?? '',
      reason: (error as Error).message,
    });
    continue;
  }
  rules.push({
    id: rule.id,
    description: rule.description ?? rule.id,
    ...(regex === undefined ? {} : { regex }),
    ...(path === undefined ? {} : { path }),
    ...(rule.secretGroup === undefined ? {} : { secretGroup: rule.secretGroup }),
    ...(rule.entropy === undefined ? {} : { entropy: rule.entropy }),
    keywords: (rule.keywords ?? []).map((keyword) => keyword.toLowerCase()),
    allowlists: (rule.allowlists ?? []).map((entry, index) => allowlist(entry, `rule ${rule.id} allowlists[${index}]`)),
  });
}

const globals = [...(toml.allowlist === undefined ? [] : [toml.allowlist]), ...(toml.allowlists ?? [])];
const file: GitleaksRuleFile = {
  source: {
    repository: 'https://github.com/gitleaks/gitleaks',
    path: 'config/gitleaks.toml',
    tag,
    commit,
    licence: 'MIT',
  },
  allowlists: globals.map((entry, index) => allowlist(entry, `global allowlists[${index}]`)),
  rules,
  unconverted,
};
writeFileSync(output, `${JSON.stringify(file, null, 1)}\n`);
console.log(`${rules.length} rules written to ${output.pathname}`);
for (const entry of unconverted) console.log(`not converted: ${entry.where}: ${entry.reason}`);
