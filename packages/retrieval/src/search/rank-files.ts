import type { IndexDatabase } from '../store/index-database.ts';
import { issueMentions } from './issue-mentions.ts';

/** A file ranked for a task, with why. */
export interface RankedFile {
  path: string;
  score: number;
  /** Why it ranks: the text match and the names of the task it defines or is. */
  reasons: string[];
  /** Its best-matching chunks, best first (ids). */
  chunkIds: string[];
}

/** Tunables of the file ranking (defaults measured with `bench/localization.bench.ts`). */
export interface RankFilesOptions {
  k?: number;
  /** Chunks taken from the text ranking before they are grouped by file. */
  chunkCandidates?: number;
  /** Query terms kept, rarest first: a long issue's common words do not drown its identifiers. */
  maxTerms?: number;
  /** Weight of each further chunk of a file after its best (1, decay, decay², …; three chunks at most). */
  chunkDecay?: number;
  /** Weight of the exact mentions against the (normalized) text score. */
  mentionWeight?: number;
  /** Factor for test, documentation and example files when the task is not about them. */
  asideFactor?: number;
  /** Query terms found in more than this share of the chunks are dropped (while others remain). */
  maxTermShare?: number;
}

export const defaultRankFilesOptions: Required<RankFilesOptions> = {
  k: 10,
  chunkCandidates: 400,
  maxTerms: 40,
  chunkDecay: 0.7,
  mentionWeight: 1,
  asideFactor: 0.25,
  maxTermShare: 1,
};

/** What the ranking reads from the index (a seam for the benchmark and tests). */
export interface RankingSource {
  database: IndexDatabase;
  /** Distinct FTS5 query terms (quoted). */
  terms: readonly string[];
  documentFrequency(term: string): number;
  paths(): readonly string[];
  chunkCount(): number;
}

const testPath =
  /(?:^|\/)(?:tests?|testing|__tests__|spec)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test\.\w+|[^/]*\.(?:test|spec)\.\w+|conftest\.py)$/;
const docPath =
  /(?:^|\/)(?:docs?|doc-src|documentation)\/|\.(?:rst|md|txt)$|(?:^|\/)(?:CHANGES|CHANGELOG|HISTORY|README|AUTHORS|NEWS)[^/]*$/i;
const examplePath = /(?:^|\/)(?:examples?|samples?|demos?|benchmarks?|bench|asv_bench)\//;
const toolingPath =
  /(?:^|\/)(?:\.github|\.circleci|scripts?|tools?|utils?\/release[^/]*)\/|(?:^|\/)(?:setup\.py|setup\.cfg|tox\.ini|conftest\.py|noxfile\.py|Makefile|[^/]*\.ya?ml|[^/]*\.toml|[^/]*\.ini|[^/]*\.cfg)$/;

/** Whether a path is a test, documentation or example file, kept apart from source. */
export function asideKind(path: string): 'test' | 'docs' | 'example' | 'tooling' | undefined {
  if (testPath.test(path)) return 'test';
  if (examplePath.test(path)) return 'example';
  if (docPath.test(path)) return 'docs';
  if (toolingPath.test(path)) return 'tooling';
  return undefined;
}

/** The file extension most of the repository's files have (its main language), e.g. `py`. */
function mainExtension(paths: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const extension = /\.(\w+)$/.exec(path)?.[1];
    if (extension !== undefined && !/^(?:md|rst|txt|json|ya?ml|html?|css|po|svg|png)$/.test(extension)) {
      counts.set(extension, (counts.get(extension) ?? 0) + 1);
    }
  }
  return [...counts].sort((left, right) => right[1] - left[1])[0]?.[0];
}

function wantsAside(query: string): Set<string> {
  const wanted = new Set<string>();
  // Issues mention the documentation in passing all the time; only a task about the docs themselves wants them first.
  if (/\b(?:typos?|(?:fix|update|improve|clarify) (?:the )?(?:docs|documentation|readme|changelog))\b/i.test(query)) {
    wanted.add('docs');
  }
  if (/\b(?:fix|update) (?:the )?(?:examples?|tutorial)\b/i.test(query)) wanted.add('example');
  if (/\b(?:add|missing|failing|broken|flaky)\s+tests?\b|\btest suite\b/i.test(query)) wanted.add('test');
  return wanted;
}

/** Paths by file name, for suffix lookups without scanning every path per mention. */
const byBasename = new WeakMap<readonly string[], Map<string, string[]>>();

/** Files whose path ends with the given relative path (whole segments). */
function pathsEndingWith(paths: readonly string[], suffix: string): string[] {
  let names = byBasename.get(paths);
  if (names === undefined) {
    names = new Map();
    for (const path of paths) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      names.set(name, [...(names.get(name) ?? []), path]);
    }
    byBasename.set(paths, names);
  }
  const candidates = names.get(suffix.slice(suffix.lastIndexOf('/') + 1)) ?? [];
  return candidates.filter((path) => path === suffix || path.endsWith(`/${suffix}`));
}

function addMention(
  scores: Map<string, { score: number; reasons: string[] }>,
  path: string,
  weight: number,
  reason: string,
) {
  const entry = scores.get(path) ?? { score: 0, reasons: [] };
  entry.score += weight;
  if (entry.reasons.length < 4 && !entry.reasons.includes(reason)) entry.reasons.push(reason);
  scores.set(path, entry);
}

/** Scores files by what the task names exactly: paths, module paths, and definitions of its identifiers. */
function mentionScores(source: RankingSource, query: string): Map<string, { score: number; reasons: string[] }> {
  const mentions = issueMentions(query);
  const scores = new Map<string, { score: number; reasons: string[] }>();
  const paths = source.paths();
  for (const mention of mentions.paths) {
    const segments = mention
      .replace(/^[A-Za-z]:/, '')
      .split(/[/\\]+/)
      .filter((segment) => segment !== '');
    for (let start = 0; start < segments.length; start += 1) {
      const found = pathsEndingWith(paths, segments.slice(start).join('/'));
      if (found.length === 0) continue;
      if (found.length <= 3) for (const path of found) addMention(scores, path, 1 / found.length, `names ${mention}`);
      break;
    }
  }
  for (const segments of mentions.dotted) {
    for (let length = segments.length; length >= 2; length -= 1) {
      const base = segments.slice(0, length).join('/');
      const found = [...pathsEndingWith(paths, `${base}.py`), ...pathsEndingWith(paths, `${base}/__init__.py`)];
      if (found.length === 0) continue;
      if (found.length <= 3)
        for (const path of found) addMention(scores, path, 0.7 / found.length, `module ${segments.join('.')}`);
      break;
    }
  }
  const moduleNames = new Set([...mentions.identifiers, ...mentions.dotted.map((segments) => segments[0]!)]);
  for (const name of moduleNames) {
    if (name.length < 4) continue;
    const found = [...pathsEndingWith(paths, `${name}.py`), ...pathsEndingWith(paths, `${name}/__init__.py`)];
    if (found.length === 0 || found.length > 2) continue;
    for (const path of found) addMention(scores, path, 0.35 / found.length, `module ${name}`);
  }
  for (const name of mentions.identifiers) {
    const defining = new Set(source.database.definitionsNamed(name).map((definition) => definition.path));
    if (defining.size === 0 || defining.size > 5) continue;
    for (const path of defining) addMention(scores, path, 0.5 / defining.size, `defines ${name}`);
  }
  return scores;
}

function selectTerms(source: RankingSource, maxTerms: number, maxShare: number, total: number): string[] {
  const withFrequency = source.terms
    .map((term) => ({ term, frequency: source.documentFrequency(term) }))
    .filter((entry) => entry.frequency > 0);
  withFrequency.sort((left, right) => left.frequency - right.frequency || (left.term < right.term ? -1 : 1));
  const selective = withFrequency.filter((entry) => entry.frequency <= total * maxShare);
  const kept = selective.length >= 2 ? selective : withFrequency;
  return kept.slice(0, maxTerms).map((entry) => entry.term);
}

/**
 * Ranks files for a task: BM25 over chunks (rarest terms first), each file scored by its best chunks together, fused
 * with exact mentions of the task's paths, modules and identifiers; tests, docs and examples set aside unless asked.
 */
export function rankFiles(source: RankingSource, query: string, options: RankFilesOptions = {}): RankedFile[] {
  const settings = { ...defaultRankFilesOptions, ...options };
  const terms = selectTerms(source, settings.maxTerms, settings.maxTermShare, source.chunkCount());
  const text = new Map<string, { scores: number[]; chunkIds: string[] }>();
  if (terms.length > 0) {
    for (const match of source.database.matchPaths(terms.join(' OR '), settings.chunkCandidates)) {
      const entry = text.get(match.path) ?? { scores: [], chunkIds: [] };
      entry.scores.push(-match.rank);
      entry.chunkIds.push(match.id);
      text.set(match.path, entry);
    }
  }
  const textScore = new Map<string, number>();
  let best = 0;
  for (const [path, entry] of text) {
    const sorted = entry.scores.sort((left, right) => right - left).slice(0, 3);
    const score = sorted.reduce((sum, value, index) => sum + value * settings.chunkDecay ** index, 0);
    textScore.set(path, score);
    best = Math.max(best, score);
  }
  const mentions = mentionScores(source, query);
  const wanted = wantsAside(query);
  const main = mainExtension(source.paths());
  const ranked: RankedFile[] = [];
  for (const path of new Set([...textScore.keys(), ...mentions.keys()])) {
    const normalized = best > 0 ? (textScore.get(path) ?? 0) / best : 0;
    const mention = mentions.get(path);
    let score = normalized + settings.mentionWeight * Math.min(mention?.score ?? 0, 2);
    const aside =
      asideKind(path) ?? (main !== undefined && !path.endsWith(`.${main}`) ? ('other language' as const) : undefined);
    if (aside !== undefined && !wanted.has(aside) && !mention?.reasons.some((reason) => reason.startsWith('names'))) {
      score *= settings.asideFactor;
    }
    const reasons = [
      ...(normalized > 0 ? [`text match ${normalized.toFixed(2)}`] : []),
      ...(mention?.reasons ?? []),
      ...(aside === undefined ? [] : [aside]),
    ];
    ranked.push({ path, score, reasons, chunkIds: text.get(path)?.chunkIds.slice(0, 3) ?? [] });
  }
  ranked.sort((left, right) => right.score - left.score || (left.path < right.path ? -1 : 1));
  return ranked.slice(0, settings.k);
}
