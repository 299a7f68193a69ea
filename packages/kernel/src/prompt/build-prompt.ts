import {
  type ModelMessage,
  type ModelRequest,
  type ProtocolMessage,
  type ProtocolMessageKind,
  protocolMessageJsonSchema,
  protocolVersion,
} from '@orchestrator/spec';
import type { ContextSection } from './context-provider.ts';
import { type DebateRoleName, roleInstructions } from './role-instructions.ts';

/** A message of the conversation so far, as the prompt shows it. */
export interface ConversationEntry {
  turn: number;
  role: string;
  message: ProtocolMessage;
}

export interface PromptInput {
  task: string;
  role: DebateRoleName;
  kind: ProtocolMessageKind;
  turn: number;
  conversation: readonly ConversationEntry[];
  context: readonly ContextSection[];
  /** The current unified diff of the workspace against the base ('' when unchanged). */
  diff: string;
  /** Extra notes for this turn, e.g. why the previous edits did not apply. */
  notes: readonly string[];
  /** Test runs shown as evidence (rendered by `testEvidenceFor`), under `## Test results`. */
  tests?: readonly string[];
  maxOutputTokens: number;
  temperature?: number;
  runId: string;
  stepId: string;
}

const schemaCache = new Map<ProtocolMessageKind, Record<string, unknown>>();
function schemaOf(kind: ProtocolMessageKind): Record<string, unknown> {
  let schema = schemaCache.get(kind);
  if (!schema) {
    schema = protocolMessageJsonSchema(kind);
    schemaCache.set(kind, schema);
  }
  return schema;
}

/** Heading of a conversation entry; the scripted model parses this format, so change both together. */
export function conversationHeading(entry: { turn: number; role: string; kind: string }): string {
  return `### turn ${entry.turn} · ${entry.role} · ${entry.kind}`;
}

function renderContext(section: ContextSection): string {
  if (section.path !== undefined) return `<file path="${section.path}">\n${section.text}\n</file>`;
  const id = section.chunkId === undefined ? '' : ` (chunk ${section.chunkId})`;
  return `#### ${section.title}${id}\n${section.text}`;
}

/** Builds the request for one turn: the role's brief and the protocol (stable, cacheable), then task and conversation. */
export function buildPrompt(input: PromptInput): ModelRequest {
  const brief = roleInstructions[input.role];
  const schema = schemaOf(input.kind);
  const parts: string[] = [`## Task\n${input.task}`];
  if (input.context.length > 0) parts.push(`## Repository context\n${input.context.map(renderContext).join('\n\n')}`);
  if (input.diff !== '') parts.push(`## Current diff\n\`\`\`diff\n${input.diff}\`\`\``);
  if (input.tests !== undefined && input.tests.length > 0) parts.push(`## Test results\n${input.tests.join('\n\n')}`);
  if (input.conversation.length > 0) {
    const rendered = input.conversation.map(
      (entry) =>
        `${conversationHeading({ turn: entry.turn, role: entry.role, kind: entry.message.kind })}\n\`\`\`json\n${JSON.stringify(entry.message)}\n\`\`\``,
    );
    parts.push(`## Conversation so far\n${rendered.join('\n\n')}`);
  }
  if (input.notes.length > 0)
    parts.push(`## Notes for this turn\n${input.notes.map((note) => `- ${note}`).join('\n')}`);
  parts.push(
    `## Your turn (turn ${input.turn})\nAs the ${brief.title}, reply with exactly one JSON object: a \`${input.kind}\` message ` +
      `with "specificationVersion": "${protocolVersion}". No prose outside the JSON.`,
  );
  const messages: ModelMessage[] = [{ role: 'user', content: parts.join('\n\n') }];
  return {
    system: [
      { text: brief.brief, cacheable: true },
      {
        text: `Messages follow the debate protocol ${protocolVersion}. The \`${input.kind}\` message schema:\n${JSON.stringify(schema)}`,
        cacheable: true,
      },
    ],
    messages,
    maxOutputTokens: input.maxOutputTokens,
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
    output: {
      name: input.kind,
      description: `A ${input.kind} message of the debate protocol ${protocolVersion}.`,
      schema,
    },
    context: { runId: input.runId, stepId: input.stepId, role: input.role, task: input.task },
  };
}

/** Marker the repair prompt starts with (the scripted model recognises a repair request by it). */
export const repairPromptPrefix = 'Your previous reply was not a valid';

/** Re-asks after a malformed reply, showing the model its reply and the validation error. */
export function buildRepairRequest(request: ModelRequest, badReply: string, kind: string, error: string): ModelRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: badReply === '' ? '(empty reply)' : badReply },
      {
        role: 'user',
        content: `${repairPromptPrefix} \`${kind}\` message:\n${error}\nReply again with only the corrected JSON object.`,
      },
    ],
  };
}
