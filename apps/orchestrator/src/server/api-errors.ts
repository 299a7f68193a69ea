import { type ApiErrorBody, OrchestratorError } from '@orchestrator/spec';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** An error the API answers with a status and a JSON body. */
export class ApiRequestError extends Error {
  readonly status: ContentfulStatusCode;
  readonly body: ApiErrorBody;

  constructor(status: ContentfulStatusCode, error: ApiErrorBody['error']) {
    super(error.message);
    this.status = status;
    this.body = { error };
  }
}

/** HTTP status of the product's error codes that the API can meet. */
const statusByCode: Record<string, ContentfulStatusCode> = {
  'run-not-found': 404,
  'step-not-found': 404,
  'approval-not-found': 404,
  'run-not-running': 409,
  'run-not-paused': 409,
  'run-ended': 409,
  'approval-already-decided': 409,
  'journal-conflict': 409,
  'journal-event-invalid': 400,
  'store-unavailable': 503,
};

/** Turns any thrown value into the JSON error response; internals never leak beyond a generic message. */
export function errorResponse(error: unknown, context: Context): Response {
  if (error instanceof ApiRequestError) return context.json(error.body, error.status);
  if (error instanceof HTTPException) return error.getResponse();
  if (OrchestratorError.isInstance(error)) {
    const status = statusByCode[error.code] ?? (error.actor === 'user' ? 400 : 500);
    return context.json(
      {
        error: { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) },
      },
      status,
    );
  }
  console.error('orchestrator api: internal error', error);
  return context.json({ error: { code: 'internal', message: 'The server failed to handle the request.' } }, 500);
}

/** The path of the first invalid field, `changes.maxUsd` style (`body` when the body itself is wrong). */
function fieldOf(issue: z.core.$ZodIssue): string {
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  return keys.length === 0 ? 'body' : keys.map(String).join('.');
}

/** Reads and validates a JSON body: 400 `api-body-invalid` naming the offending field. An empty body is `{}`. */
export async function parseJsonBody<Schema extends z.ZodType>(
  context: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const text = await context.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiRequestError(400, {
        code: 'api-body-invalid',
        message: 'The request body is not valid JSON.',
        hint: 'Send a JSON object with content-type application/json.',
        field: 'body',
      });
    }
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldOf(issue);
  throw new ApiRequestError(400, {
    code: 'api-body-invalid',
    message: `Invalid field "${field}": ${issue.message}.`,
    hint: 'Fix the field and send the request again.',
    field,
  });
}

/** Parses a non-negative integer query or header value; 400 naming it otherwise. */
export function parseSeq(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ApiRequestError(400, {
      code: 'api-parameter-invalid',
      message: `Invalid "${field}": expected a non-negative integer, got ${JSON.stringify(raw)}.`,
      field,
    });
  }
  return value;
}
