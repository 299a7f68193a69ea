import {
  type ChunkCitation,
  checkCitations,
  type InvalidCitation,
  type MessageData,
  type ProtocolMessage,
} from '@orchestrator/spec';
import type { ContextSection } from '../prompt/context-provider.ts';

/** What the `message` event records about a turn's chunk citations (fields omitted when empty). */
export type CitationRecord = Pick<MessageData, 'retrievedChunkIds' | 'invalidCitations' | 'repairedCitations'>;

/** The ids of the chunks a turn was given: the only chunk ids its message may cite. */
export function retrievedChunkIdsOf(sections: readonly ContextSection[]): string[] {
  return sections.flatMap((section) => (section.chunkId === undefined ? [] : [section.chunkId]));
}

/** The chunk citations of a message: its `chunk` evidence, with the cited line range when given. */
export function chunkCitationsOf(message: ProtocolMessage): ChunkCitation[] {
  return message.evidence.flatMap((evidence) =>
    evidence.kind === 'chunk'
      ? [
          {
            chunkId: evidence.chunkId,
            ...(evidence.startLine === undefined ? {} : { startLine: evidence.startLine }),
            ...(evidence.endLine === undefined ? {} : { endLine: evidence.endLine }),
          },
        ]
      : [],
  );
}

/** The message's chunk citations that do not hold against the chunks retrieved for its turn. */
export function invalidCitationsOf(message: ProtocolMessage, retrievedChunkIds: readonly string[]): InvalidCitation[] {
  return checkCitations(chunkCitationsOf(message), retrievedChunkIds);
}

/** The validation error shown to a role re-asked after citing chunks it was not given. */
export function citationRepairError(invalid: readonly InvalidCitation[]): string {
  return `Its chunk evidence does not hold: ${invalid.map((entry) => entry.message).join(' ')} Cite only the chunk ids shown in the repository context, with line ranges inside those chunks.`;
}

/** Why an implementation with invalid citations cannot converge (the Critic and the Builder see it in their notes). */
export function citationProblem(invalid: readonly InvalidCitation[]): string | undefined {
  if (invalid.length === 0) return undefined;
  const ids = invalid.map((entry) => `${entry.citation.chunkId} (${entry.reason})`).join(', ');
  return `its chunk citations do not hold (${ids}): a protocol error; cite only chunks retrieved for the turn`;
}

/** The `message` event fields for a turn's citations; empty lists are left out. */
export function citationRecordOf(
  retrievedChunkIds: readonly string[],
  invalid: readonly InvalidCitation[],
  repaired: readonly InvalidCitation[],
): CitationRecord {
  return {
    ...(retrievedChunkIds.length === 0 ? {} : { retrievedChunkIds: [...retrievedChunkIds] }),
    ...(invalid.length === 0 ? {} : { invalidCitations: [...invalid] }),
    ...(repaired.length === 0 ? {} : { repairedCitations: [...repaired] }),
  };
}

/** Joins the reasons a turn cannot converge into one `problem` (undefined when there is none). */
export function joinProblems(...problems: readonly (string | undefined)[]): string | undefined {
  const present = problems.filter((problem): problem is string => problem !== undefined && problem !== '');
  return present.length === 0 ? undefined : present.join('; ');
}
