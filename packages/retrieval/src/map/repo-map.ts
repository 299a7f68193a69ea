import type { ChunkKind } from '@orchestrator/spec';
import type { DefinitionRow, IndexDatabase } from '../store/index-database.ts';
import { pageRank } from './page-rank.ts';

/** Options of a repo map. */
export interface RepoMapOptions {
  /** Token budget of the rendered map (estimated at 4 characters per token). Default 1024. */
  tokens?: number;
  /** Files the current task is about: their neighbourhood ranks higher (personalised PageRank). */
  focusPaths?: readonly string[];
}

/** One definition shown in the map. */
export interface RepoMapDefinition {
  name: string;
  qualifiedName: string;
  kind: ChunkKind;
  line: number;
  /** The definition's first line, trimmed. */
  signature: string;
  chunkId: string;
}

/** A file of the map, with its rank and the definitions that fit the budget. */
export interface RepoMapFile {
  path: string;
  /** PageRank of the file over the reference graph. */
  rank: number;
  definitions: RepoMapDefinition[];
}

/** The ranked repository map. */
export interface RepoMap {
  /** The rendering handed to a prompt. */
  text: string;
  /** Estimated tokens of `text`. */
  tokens: number;
  files: RepoMapFile[];
}

/** Names defined in more files than this are too generic (`constructor`, `toString`) to link files. */
const maxDefinersPerName = 12;

/** Aider's heuristics: long compound names are specific, names defined in many files or private ones are not. */
function nameWeight(name: string, definerCount: number): number {
  let weight = 1;
  const compound = /[a-z][A-Z]|_[a-zA-Z]/.test(name);
  if (compound && name.length >= 8) weight *= 10;
  else if (name.length < 6) weight *= 0.2;
  if (name.startsWith('_')) weight *= 0.1;
  if (definerCount > 5) weight *= 0.1;
  return weight;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function signatureOf(database: IndexDatabase, definition: DefinitionRow, cache: Map<string, string[]>): string {
  let lines = cache.get(definition.chunkId);
  if (lines === undefined) {
    lines = database.chunkById(definition.chunkId)?.text.split('\n') ?? [];
    cache.set(definition.chunkId, lines);
  }
  const startLine = Number(/:(\d+)-\d+#[0-9a-f]+$/.exec(definition.chunkId)?.[1] ?? definition.line);
  const line = (lines[definition.line - startLine] ?? definition.qualifiedName).trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Ranks definitions by PageRank over the file reference graph (file A → file B when A mentions a name B defines) and
 * renders the best ones, grouped by file, within a token budget.
 */
export function buildRepoMap(database: IndexDatabase, options: RepoMapOptions = {}): RepoMap {
  const budget = options.tokens ?? 1024;
  const definitions = database.definitions();
  const definersByName = new Map<string, Set<string>>();
  for (const definition of definitions) {
    const definers = definersByName.get(definition.name) ?? new Set<string>();
    definers.add(definition.path);
    definersByName.set(definition.name, definers);
  }
  const nodeOf = new Map<string, number>();
  const paths: string[] = [];
  const node = (path: string) => {
    let index = nodeOf.get(path);
    if (index === undefined) {
      index = paths.length;
      nodeOf.set(path, index);
      paths.push(path);
    }
    return index;
  };
  for (const definition of definitions) node(definition.path);
  const edges: Array<Map<number, number> | undefined> = [];
  const edgeNames: Array<Map<number, Map<string, number>> | undefined> = [];
  for (const { path, names } of database.references()) {
    const from = node(path);
    for (const [name, count] of names) {
      const definers = definersByName.get(name);
      if (definers === undefined || definers.size > maxDefinersPerName) continue;
      for (const definer of definers) {
        if (definer === path) continue;
        const to = node(definer);
        const weight = (Math.sqrt(count) * nameWeight(name, definers.size)) / definers.size;
        const targets = edges[from] ?? new Map<number, number>();
        targets.set(to, (targets.get(to) ?? 0) + weight);
        edges[from] = targets;
        const namesByTarget = edgeNames[from] ?? new Map<number, Map<string, number>>();
        const named = namesByTarget.get(to) ?? new Map<string, number>();
        named.set(name, (named.get(name) ?? 0) + weight);
        namesByTarget.set(to, named);
        edgeNames[from] = namesByTarget;
      }
    }
  }
  const focus = new Set(options.focusPaths ?? []);
  const personalization = focus.size === 0 ? undefined : paths.map((path) => (focus.has(path) ? 100 : 1));
  const rank = pageRank(paths.length, edges, personalization === undefined ? {} : { personalization });

  // Each edge hands its share of the source's rank to the names it references in the target file.
  const nameScore = new Map<string, number>();
  edges.forEach((targets, from) => {
    if (targets === undefined) return;
    let total = 0;
    for (const weight of targets.values()) total += weight;
    for (const [to, named] of edgeNames[from] ?? []) {
      for (const [name, weight] of named) {
        const key = `${paths[to]}\u0000${name}`;
        nameScore.set(key, (nameScore.get(key) ?? 0) + ((rank[from] ?? 0) * weight) / total);
      }
    }
  });
  const scored = definitions.map((definition) => {
    const fileRank = rank[nodeOf.get(definition.path) ?? 0] ?? 0;
    const score = (nameScore.get(`${definition.path}\u0000${definition.name}`) ?? 0) + fileRank * 0.01;
    return { definition, score };
  });
  scored.sort((left, right) => right.score - left.score || left.definition.path.localeCompare(right.definition.path));

  const selected = new Map<string, RepoMapFile>();
  const signatures = new Map<string, string[]>();
  let used = 0;
  for (const { definition } of scored) {
    const signature = signatureOf(database, definition, signatures);
    const entry = `  ${definition.line}│ ${signature}\n`;
    const header = selected.has(definition.path) ? '' : `${definition.path}:\n`;
    const cost = estimateTokens(header + entry);
    if (used + cost > budget) {
      if (used + 8 > budget) break;
      continue;
    }
    used += cost;
    let file = selected.get(definition.path);
    if (file === undefined) {
      file = { path: definition.path, rank: rank[nodeOf.get(definition.path) ?? 0] ?? 0, definitions: [] };
      selected.set(definition.path, file);
    }
    file.definitions.push({
      name: definition.name,
      qualifiedName: definition.qualifiedName,
      kind: definition.kind,
      line: definition.line,
      signature,
      chunkId: definition.chunkId,
    });
  }
  const files = [...selected.values()];
  for (const file of files) file.definitions.sort((left, right) => left.line - right.line);
  const text = files
    .map(
      (file) => `${file.path}:\n${file.definitions.map((entry) => `  ${entry.line}│ ${entry.signature}\n`).join('')}`,
    )
    .join('');
  return { text, tokens: estimateTokens(text), files };
}
