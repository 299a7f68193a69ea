import { z } from 'zod';
import { type ProtocolMessage, type ProtocolMessageKind, protocolMessageSchemas } from './protocol-message.ts';

/** Result of validating a model's reply; a malformed reply is an expected outcome, not an exception. */
export type ParseProtocolMessageResult =
  | { success: true; message: ProtocolMessage }
  | {
      success: false;
      /** `not-json` when the text is not a JSON object; `wrong-schema` when it is one but does not match. */
      reason: 'not-json' | 'wrong-schema';
      /** What is wrong, written for the model to correct it (paths and expectations). */
      error: string;
    };

function extractJsonText(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}

/**
 * Validates a reply as a message of the expected kind. Accepts the already-parsed object (structured output) or the
 * text (optionally fenced as ```json).
 */
export function parseProtocolMessage(
  expectedKind: ProtocolMessageKind,
  reply: { text: string; object?: unknown },
): ParseProtocolMessageResult {
  let candidate: unknown = reply.object;
  if (candidate === undefined) {
    try {
      candidate = JSON.parse(extractJsonText(reply.text));
    } catch (error) {
      return { success: false, reason: 'not-json', error: `The reply is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
    return { success: false, reason: 'not-json', error: 'The reply must be one JSON object.' };
  }
  const parsed = protocolMessageSchemas[expectedKind].safeParse(candidate);
  if (!parsed.success) {
    return { success: false, reason: 'wrong-schema', error: z.prettifyError(parsed.error) };
  }
  return { success: true, message: parsed.data };
}

/** The JSON Schema of a message kind, for structured-output requests and for the prompt. */
export function protocolMessageJsonSchema(kind: ProtocolMessageKind): Record<string, unknown> {
  return z.toJSONSchema(protocolMessageSchemas[kind], { io: 'input' }) as Record<string, unknown>;
}
