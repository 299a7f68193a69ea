import { buildPrompt, conversationHeading, type PromptInput } from '../prompt/build-prompt.ts';
import { type ContextDrop, type ContextTurn, packContext } from './context-packer.ts';
import { conservativeTokenEstimate, type TextTokenCounter } from './token-estimate.ts';

/** The token limits a prompt must fit: the model's context window and the step's token ceiling (input + output). */
export interface PromptFitLimits {
  contextWindow?: number | undefined;
  stepTokenCeiling?: number | undefined;
}

/** A prompt input fitted to its limits, and what was left out or shortened to fit (empty when everything fit). */
export interface FittedPromptInput {
  input: PromptInput;
  dropped: ContextDrop[];
  /** Tokens the variable part of the prompt could use, and used (0 and 0 when no limit applies). */
  availableTokens: number;
  usedTokens: number;
}

/** The latest conversation entries are packed with the diff, above the repository context (the turn answers them). */
const pinnedEntries = 2;

/** Headings, fences and wrappers around each packed piece, counted on top of its text. */
const pieceOverheadTokens = 16;

function requestTokens(input: PromptInput, count: TextTokenCounter): number {
  const request = buildPrompt(input);
  const system = request.system.map((part) => count(part.text)).reduce((sum, tokens) => sum + tokens, 0);
  const messages = request.messages
    .map((message) => count(typeof message.content === 'string' ? message.content : JSON.stringify(message.content)))
    .reduce((sum, tokens) => sum + tokens, 0);
  return system + messages + (request.output === undefined ? 0 : count(JSON.stringify(request.output.schema)));
}

function conversationText(entry: PromptInput['conversation'][number]): string {
  return `${conversationHeading({ turn: entry.turn, role: entry.role, kind: entry.message.kind })}\n${JSON.stringify(entry.message)}`;
}

function conversationSummary(entry: PromptInput['conversation'][number]): string {
  const summary = (entry.message as { summary?: unknown }).summary;
  const text = typeof summary === 'string' ? summary : entry.message.kind;
  return `turn ${entry.turn} · ${entry.role} · ${entry.message.kind}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

/**
 * Fits a turn's prompt into the model's context window and the step's token ceiling, leaving room for the output cap:
 * the fixed part (role brief, protocol schema, task, notes, the turn's instruction) always stays; the diff and test
 * results come next, then the repository context (truncated or dropped, least relevant first), then the conversation
 * (newest first; older entries are left out, their one-line summaries kept in a note when there is room). A prompt
 * that fits is returned unchanged (the same object), so packing never alters a request that needed no packing.
 */
export function fitPromptInput(
  input: PromptInput,
  limits: PromptFitLimits,
  count: TextTokenCounter = conservativeTokenEstimate,
): FittedPromptInput {
  const unchanged: FittedPromptInput = { input, dropped: [], availableTokens: 0, usedTokens: 0 };
  if (limits.contextWindow === undefined && limits.stepTokenCeiling === undefined) return unchanged;
  const ceiling = Math.min(
    limits.contextWindow ?? Number.POSITIVE_INFINITY,
    limits.stepTokenCeiling ?? Number.POSITIVE_INFINITY,
  );
  if (requestTokens(input, count) + input.maxOutputTokens <= ceiling) return unchanged;

  const tests = input.tests ?? [];
  const pieces = 1 + tests.length + input.context.length + input.conversation.length;
  const fixedTokens =
    requestTokens({ ...input, context: [], conversation: [], diff: '', tests: [] }, count) +
    pieces * pieceOverheadTokens;
  const firstPinned = Math.max(0, input.conversation.length - pinnedEntries);
  const turns: ContextTurn[] = input.conversation.slice(0, firstPinned).map((entry, index) => ({
    turn: index + 1,
    role: entry.role,
    text: conversationText(entry),
    summary: conversationSummary(entry),
  }));
  const pinned = input.conversation
    .slice(firstPinned)
    .map((entry, offset) => ({ key: `turn-${firstPinned + offset + 1}`, text: conversationText(entry) }));
  const packed = packContext(
    {
      task: '',
      openRisks: [],
      projectNotes: [
        ...pinned,
        ...(input.diff === '' ? [] : [{ key: 'diff', text: input.diff }]),
        ...tests.map((text, index) => ({ key: `tests-${index + 1}`, text })),
      ],
      citedCode: input.context.map((section, index) => ({ id: `context:${index + 1}`, text: section.text })),
      turns,
    },
    {
      contextWindow: limits.contextWindow ?? Number.POSITIVE_INFINITY,
      ...(limits.stepTokenCeiling === undefined ? {} : { stepTokenCeiling: limits.stepTokenCeiling }),
      maxOutputTokens: input.maxOutputTokens,
      fixedTokens,
      recentTurns: turns.length,
    },
    count,
  );
  const kept = new Map(packed.sections.map((section) => [section.id, section]));
  const textOf = (id: string) => kept.get(id)?.text;
  const context = input.context.flatMap((section, index) => {
    const text = textOf(`context:${index + 1}`);
    return text === undefined ? [] : [{ ...section, text }];
  });
  // A conversation entry is kept whole or not at all (the JSON of a message is not cut).
  const keptWhole = (index: number) =>
    index >= firstPinned
      ? !packed.dropped.some((drop) => drop.id === `note:turn-${index + 1}`)
      : kept.get(`turn:${index + 1}`)?.kind === 'turn';
  const conversation = input.conversation.filter((_, index) => keptWhole(index));
  const summarized = input.conversation.flatMap((entry, index) =>
    !keptWhole(index) && kept.get(`turn:${index + 1}`)?.kind === 'summary' ? [conversationSummary(entry)] : [],
  );
  const leftOut = input.conversation.length - conversation.length;
  const notes = [
    ...input.notes,
    ...(leftOut === 0
      ? []
      : [
          `${leftOut} earlier message(s) of the conversation were left out to fit the context` +
            (summarized.length === 0 ? '.' : `; in short: ${summarized.join(' | ')}`),
        ]),
  ];
  const testsKept = tests.flatMap((_, index) => {
    const text = textOf(`note:tests-${index + 1}`);
    return text === undefined ? [] : [text];
  });
  return {
    input: {
      ...input,
      context,
      conversation,
      diff: textOf('note:diff') ?? '',
      notes,
      ...(input.tests === undefined ? {} : { tests: testsKept }),
    },
    dropped: packed.dropped,
    availableTokens: packed.availableTokens,
    usedTokens: packed.usedTokens,
  };
}
