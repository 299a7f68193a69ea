import { splitIdentifier } from '../chunking/identifier-terms.ts';

const stopWords = new Set(
  'a an and are as at be by do does for from how in into is it its of on or per so than that the then this to was were what when where which who why with'.split(
    ' ',
  ),
);

/** The distinct search terms of a query, each a quoted FTS5 string: words and identifier parts, without stop words. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const token of query.match(/[\p{L}\p{N}_$]+/gu) ?? []) {
    const lower = token.toLowerCase();
    if (!stopWords.has(lower) && lower.length > 1) terms.add(lower.replaceAll('$', ''));
    for (const part of splitIdentifier(token)) {
      if (part.length > 1 && !stopWords.has(part)) terms.add(part);
    }
  }
  terms.delete('');
  return [...terms].map((term) => `"${term.replaceAll('"', '""')}"`);
}

/**
 * Turns a natural-language or identifier query into an FTS5 expression: every term joined by OR (BM25 then ranks
 * chunks matching more and rarer terms first). Undefined when nothing is left.
 */
export function ftsQueryFor(query: string): string | undefined {
  const terms = queryTerms(query);
  return terms.length === 0 ? undefined : terms.join(' OR ');
}
