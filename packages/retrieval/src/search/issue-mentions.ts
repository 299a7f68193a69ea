/** What a task or issue names explicitly: file paths, dotted module paths and code identifiers. */
export interface IssueMentions {
  /** Path-like strings (`src/foo/bar.py`, stack-trace frames), without leading `./` or absolute prefixes. */
  paths: string[];
  /** Dotted names (`sympy.core.basic.Basic`, `requests.models`), as their segments. */
  dotted: string[][];
  /** Identifiers that look like code: snake_case, camelCase, CapWords, called (`name(`) or quoted in backticks. */
  identifiers: string[];
}

const pathPattern =
  /(?:[\w.-]+\/)*[\w.-]+\.(?:py|pyi|ts|tsx|js|jsx|mjs|cjs|go|rs|java|rb|c|h|cc|cpp|hpp|rst|md|txt|cfg|toml)\b/g;
const dottedPattern = /\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+\b/g;
const identifierPattern = /[A-Za-z_][A-Za-z0-9_]*/g;
const backtickPattern = /`([^`\n]{1,120})`/g;
const calledPattern = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
const fileExtension = /\.(?:py|pyi|ts|tsx|js|jsx|mjs|cjs|go|rs|java|rb|c|h|cc|cpp|hpp|rst|md|txt|cfg|toml)$/;

function looksLikeCode(identifier: string): boolean {
  if (identifier.length < 3) return false;
  if (/^_*[a-z0-9]+(?:_[a-z0-9]+)+_*$/.test(identifier)) return true; // snake_case
  if (/^_/.test(identifier)) return true;
  if (/[a-z][A-Z]/.test(identifier)) return true; // camelCase, CapWords with two humps
  return false;
}

/** Extracts the names an issue mentions; plain English words are left to the text ranking. */
export function issueMentions(text: string): IssueMentions {
  const paths = new Set<string>();
  for (const match of text.match(pathPattern) ?? []) {
    if (!match.includes('/') && /^[\w-]+\.(?:py|txt|md|rst|cfg|toml)$/.test(match) === false) continue;
    paths.add(match.replace(/^(?:\.\/)+/, ''));
  }
  const dotted = new Map<string, string[]>();
  for (const match of text.match(dottedPattern) ?? []) {
    if (fileExtension.test(match)) continue;
    const segments = match.split('.');
    if (segments.some((segment) => /^\d/.test(segment))) continue;
    dotted.set(match, segments);
  }
  const identifiers = new Set<string>();
  for (const identifier of text.match(identifierPattern) ?? []) {
    if (looksLikeCode(identifier)) identifiers.add(identifier);
  }
  for (const [, quoted] of text.matchAll(backtickPattern)) {
    for (const identifier of quoted!.match(identifierPattern) ?? []) {
      if (identifier.length >= 3) identifiers.add(identifier);
    }
  }
  for (const [, called] of text.matchAll(calledPattern)) {
    if (called!.length >= 3) identifiers.add(called!);
  }
  for (const segments of dotted.values()) {
    const last = segments.at(-1)!;
    if (last.length >= 3) identifiers.add(last);
  }
  return { paths: [...paths], dotted: [...dotted.values()], identifiers: [...identifiers] };
}
