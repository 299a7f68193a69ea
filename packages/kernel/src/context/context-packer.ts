import { conservativeTokenEstimate, type TextTokenCounter } from './token-estimate.ts';

/** Kinds of context, in packing priority (most important first). */
export type ContextKind = 'task' | 'risk' | 'note' | 'code' | 'turn' | 'summary';

/** A turn of this run's debate (working memory). */
export interface ContextTurn {
  turn: number;
  role: string;
  text: string;
  /** A short summary, used when the turn is old or does not fit verbatim. */
  summary?: string;
}

/** Everything a prompt could carry, before packing. */
export interface ContextPackInput {
  task: string;
  /** Open risks, most severe first. */
  openRisks: ReadonlyArray<{ id: string; text: string }>;
  /** Project memory notes about the repository. */
  projectNotes?: ReadonlyArray<{ key: string; text: string }>;
  /** Cited code chunks, most relevant first. */
  citedCode: ReadonlyArray<{ id: string; text: string }>;
  /** This run's turns, oldest first. */
  turns: readonly ContextTurn[];
}

export interface ContextPackLimits {
  /** The model's context window, in tokens. */
  contextWindow: number;
  /** Output tokens the call reserves (the window must leave room for them). */
  maxOutputTokens: number;
  /** The step's token ceiling (input + output), when it has one. */
  stepTokenCeiling?: number;
  /** Tokens already taken by the fixed part of the prompt (role instructions, output schema). */
  fixedTokens?: number;
  /** How many of the latest turns are kept verbatim (older ones are summarized); 4 by default. */
  recentTurns?: number;
  /** Smallest truncated piece worth keeping; smaller remainders are dropped. 48 tokens by default. */
  minimumPieceTokens?: number;
}

/** One packed section, in presentation order. */
export interface PackedSection {
  id: string;
  kind: ContextKind;
  text: string;
  tokens: number;
}

/** What the packer left out or shortened; the kernel journals it. */
export interface ContextDrop {
  id: string;
  kind: ContextKind;
  action: 'dropped' | 'truncated' | 'summarized';
  originalTokens: number;
  keptTokens: number;
}

export interface PackedContext {
  sections: PackedSection[];
  /** Tokens of the packed sections. */
  usedTokens: number;
  /** Tokens the sections could use. */
  availableTokens: number;
  dropped: ContextDrop[];
}

interface Candidate {
  id: string;
  kind: ContextKind;
  text: string;
  /** Position in the presentation order. */
  order: number;
  /** Shorter stand-in when the text does not fit (a turn's summary). */
  fallback?: { text: string; kind: ContextKind };
  /** Whether cutting the text keeps it useful (code and prose: yes). */
  truncatable: boolean;
  /** For an older turn shown as its summary: the verbatim turn it stands for. */
  summarizes?: string;
}

const presentation: Record<ContextKind, number> = { task: 0, note: 1, risk: 2, summary: 3, turn: 4, code: 5 };

/** A deterministic one-line summary of a turn without one: its first non-empty line, cut at 200 characters. */
export function extractiveSummary(turn: ContextTurn): string {
  const firstLine = turn.text.split('\n').find((line) => line.trim() !== '') ?? '';
  const cut = firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
  return `Turn ${turn.turn} (${turn.role}): ${cut.trim()}`;
}

/** The longest prefix of `text` within `budget` tokens (binary search on length; any counter works). */
export function truncateToTokens(text: string, budget: number, count: TextTokenCounter): string {
  const marker = '\n… [truncated]';
  if (count(text) <= budget) return text;
  const markerTokens = count(marker);
  if (budget <= markerTokens) return '';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (count(text.slice(0, middle)) + markerTokens <= budget) low = middle;
    else high = middle - 1;
  }
  // Cut at a line end when one is near, so code stays readable.
  const lineEnd = text.lastIndexOf('\n', low);
  const end = lineEnd > low * 0.8 ? lineEnd : low;
  return end === 0 ? '' : `${text.slice(0, end)}${marker}`;
}

const verbatimTurn = (turn: ContextTurn) => `Turn ${turn.turn} (${turn.role}):\n${turn.text}`;

function candidatesOf(input: ContextPackInput, recentTurns: number): Candidate[] {
  const candidates: Candidate[] = [{ id: 'task', kind: 'task', text: input.task, order: 0, truncatable: true }];
  for (const [index, risk] of input.openRisks.entries()) {
    candidates.push({ id: risk.id, kind: 'risk', text: risk.text, order: index, truncatable: true });
  }
  for (const [index, note] of (input.projectNotes ?? []).entries()) {
    candidates.push({ id: `note:${note.key}`, kind: 'note', text: note.text, order: index, truncatable: true });
  }
  for (const [index, chunk] of input.citedCode.entries()) {
    candidates.push({ id: chunk.id, kind: 'code', text: chunk.text, order: index, truncatable: true });
  }
  const firstRecent = Math.max(0, input.turns.length - recentTurns);
  const recent = input.turns.slice(firstRecent);
  // Newest turns first: when space runs out, the oldest recent turn degrades first.
  for (const turn of [...recent].reverse()) {
    candidates.push({
      id: `turn:${turn.turn}`,
      kind: 'turn',
      text: verbatimTurn(turn),
      order: turn.turn,
      fallback: { text: turn.summary ?? extractiveSummary(turn), kind: 'summary' },
      truncatable: false,
    });
  }
  for (const turn of [...input.turns.slice(0, firstRecent)].reverse()) {
    candidates.push({
      id: `turn:${turn.turn}`,
      kind: 'summary',
      text: turn.summary ?? extractiveSummary(turn),
      order: turn.turn,
      truncatable: false,
      summarizes: verbatimTurn(turn),
    });
  }
  return candidates;
}

/**
 * Fits a prompt's context into the model's window and the step's token ceiling, by priority: the task, open risks,
 * project notes, cited code, the recent turns verbatim (newest first; a turn that does not fit falls back to its
 * summary), then summaries of older turns. A piece that does not fit is truncated when truncating keeps it useful,
 * otherwise dropped; every drop, cut and summary is recorded. Pure and deterministic for a given counter.
 */
export function packContext(
  input: ContextPackInput,
  limits: ContextPackLimits,
  count: TextTokenCounter = conservativeTokenEstimate,
): PackedContext {
  const ceiling = Math.min(limits.contextWindow, limits.stepTokenCeiling ?? Number.POSITIVE_INFINITY);
  const availableTokens = Math.max(0, ceiling - limits.maxOutputTokens - (limits.fixedTokens ?? 0));
  const minimumPiece = limits.minimumPieceTokens ?? 48;
  const candidates = candidatesOf(input, limits.recentTurns ?? 4);
  const sections: PackedSection[] = [];
  const dropped: ContextDrop[] = [];
  let left = availableTokens;
  const sectionOrder = new Map<string, number>();
  const place = (candidate: Candidate, kind: ContextKind, text: string, tokens: number) => {
    sections.push({ id: candidate.id, kind, text, tokens });
    left -= tokens;
    sectionOrder.set(candidate.id, candidate.order);
  };
  for (const candidate of candidates) {
    const tokens = count(candidate.text);
    if (tokens <= left) {
      place(candidate, candidate.kind, candidate.text, tokens);
      if (candidate.summarizes !== undefined) {
        const originalTokens = count(candidate.summarizes);
        dropped.push({ id: candidate.id, kind: 'turn', action: 'summarized', originalTokens, keptTokens: tokens });
      }
      continue;
    }
    if (candidate.fallback !== undefined) {
      const fallbackTokens = count(candidate.fallback.text);
      if (fallbackTokens <= left) {
        place(candidate, candidate.fallback.kind, candidate.fallback.text, fallbackTokens);
        dropped.push({
          id: candidate.id,
          kind: candidate.kind,
          action: 'summarized',
          originalTokens: tokens,
          keptTokens: fallbackTokens,
        });
        continue;
      }
    }
    if (candidate.truncatable && left >= minimumPiece) {
      const text = truncateToTokens(candidate.text, left, count);
      const kept = count(text);
      if (text !== '' && kept <= left) {
        place(candidate, candidate.kind, text, kept);
        dropped.push({
          id: candidate.id,
          kind: candidate.kind,
          action: 'truncated',
          originalTokens: tokens,
          keptTokens: kept,
        });
        continue;
      }
    }
    dropped.push({ id: candidate.id, kind: candidate.kind, action: 'dropped', originalTokens: tokens, keptTokens: 0 });
  }
  sections.sort(
    (left, right) =>
      presentation[left.kind] - presentation[right.kind] ||
      (sectionOrder.get(left.id) ?? 0) - (sectionOrder.get(right.id) ?? 0),
  );
  return { sections, usedTokens: availableTokens - left, availableTokens, dropped };
}

const headings: Record<ContextKind, string> = {
  task: '## Task',
  note: '## Project notes',
  risk: '## Open risks',
  summary: '## Earlier turns (summarized)',
  turn: '## Recent turns',
  code: '## Cited code',
};

/** Renders packed sections as markdown, one heading per kind, in presentation order. */
export function renderPackedContext(packed: PackedContext): string {
  const parts: string[] = [];
  let heading: string | undefined;
  for (const section of packed.sections) {
    const next = headings[section.kind];
    if (next !== heading) {
      parts.push(next);
      heading = next;
    }
    parts.push(section.text);
  }
  return parts.join('\n\n');
}
