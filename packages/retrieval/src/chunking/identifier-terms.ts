const identifierPattern = /[A-Za-z_$][A-Za-z0-9_$]*/g;
const humpPattern = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** The parts of one identifier: `getHTTPResponse` → get, http, response; `max_file_bytes` → max, file, bytes. */
export function splitIdentifier(identifier: string): string[] {
  return (identifier.match(humpPattern) ?? []).map((part) => part.toLowerCase());
}

/**
 * Extra terms that make FTS5 identifier-aware: the parts of camelCase identifiers and the joined form of snake_case
 * ones (unicode61 already splits at underscores but never at case changes). Distinct, space-separated.
 */
export function identifierTerms(text: string): string {
  const terms = new Set<string>();
  const seen = new Set<string>();
  for (const identifier of text.match(identifierPattern) ?? []) {
    if (identifier.length < 4 || seen.has(identifier)) continue;
    seen.add(identifier);
    const parts = splitIdentifier(identifier);
    if (parts.length < 2) continue;
    for (const part of parts) if (part.length > 1) terms.add(part);
    if (identifier.includes('_')) terms.add(parts.join(''));
  }
  return [...terms].join(' ');
}

/** Path terms: `src/authService/login_flow.ts` → `src authService auth service login_flow login flow ts`. */
export function pathTerms(path: string): string {
  const terms = new Set<string>();
  for (const segment of path.split(/[/\\.\-\s]+/)) {
    if (segment === '') continue;
    terms.add(segment);
    for (const part of splitIdentifier(segment)) terms.add(part);
  }
  return [...terms].join(' ');
}

const keywords = new Set(
  'the and for not null true false this that with from import export return const function class interface type var let new void else case break continue while public private protected static final async await self def pass none elif lambda yield func package struct impl enum trait pub mut use mod crate match string number boolean undefined'.split(
    ' ',
  ),
);

/** Identifiers a file mentions, with counts (for the reference graph); keywords and names under 3 characters are left out. */
export function referencedIdentifiers(text: string, limit: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const identifier of text.match(identifierPattern) ?? []) {
    if (identifier.length < 3 || keywords.has(identifier)) continue;
    const count = counts.get(identifier);
    if (count !== undefined) counts.set(identifier, count + 1);
    else if (counts.size < limit) counts.set(identifier, 1);
  }
  return counts;
}
