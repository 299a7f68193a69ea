import { ModelCallError, type ModelCallErrorKind } from '@orchestrator/spec';
import { redactCredentialText } from './redact-credential-text.ts';

/** The parts of an SDK error (Anthropic and OpenAI SDKs share this shape) the classifier reads. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  type?: unknown;
  code?: unknown;
}

const contextOverflowPattern =
  /prompt is too long|context[ _-]?length|maximum context|context window|too many (input )?tokens|context_length_exceeded|reduce the length/i;

const hints: Record<ModelCallErrorKind, string> = {
  'rate-limited':
    'The provider rate-limited the call after the SDK retries; resume the run later or raise your rate limit.',
  overloaded: 'The provider is overloaded; the run pauses (provider-overloaded) and can be resumed when it recovers.',
  retryable: 'A transient provider or network failure; resume the run to try again.',
  'stream-cut': 'The reply stream ended before the model finished; the partial reply was discarded. Resume to retry.',
  'context-overflow':
    'The prompt is longer than the model accepts; reduce the repository context or pick a model with a larger window.',
  'invalid-request':
    'The provider rejected the request as invalid; check the model id and options in orchestrator.config.*.',
  auth: 'Check the API key in your environment (.env) for this provider, or bind the role to another provider.',
};

function errorBodyType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === 'object' && inner !== null) {
    const type = (inner as Record<string, unknown>).type ?? (inner as Record<string, unknown>).code;
    if (typeof type === 'string') return type;
  }
  const type = record.type ?? record.code;
  return typeof type === 'string' && type !== 'error' ? type : undefined;
}

function errorBodyMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (typeof inner === 'object' && inner !== null) {
    const message = (inner as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  return typeof record.message === 'string' ? record.message : undefined;
}

function retryAfterSeconds(headers: SdkErrorShape['headers']): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds / 1000;
  const seconds = Number.parseFloat(headers?.get('retry-after') ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function kindOf(status: number | undefined, type: string | undefined, message: string): ModelCallErrorKind {
  if (type === 'overloaded_error' || status === 529 || status === 503) return 'overloaded';
  if (type === 'rate_limit_error' || status === 429) return 'rate-limited';
  if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') return 'auth';
  if (status === 413 || contextOverflowPattern.test(message) || type === 'context_length_exceeded') {
    return 'context-overflow';
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
    return 'invalid-request';
  }
  if (type === 'invalid_request_error') return 'invalid-request';
  return 'retryable';
}

export interface ClassifyOptions {
  /** Provider name for the error, e.g. `anthropic`. */
  provider: string;
  /** Environment variable holding the key, named in auth hints. */
  keyVariable: string;
  /** Secrets to scrub from messages (the API key). */
  secrets: readonly string[];
  /** True once the response stream had started: connection failures then mean a cut stream. */
  streamStarted?: boolean;
}

/** Turns whatever an SDK threw into a classified, credential-free `ModelCallError`. */
export function classifyProviderError(error: unknown, options: ClassifyOptions): ModelCallError {
  if (ModelCallError.isModelCallError(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorShape;
  const className = (shape as { constructor?: { name?: string } }).constructor?.name ?? '';
  const name = className === 'APIUserAbortError' ? className : (shape.name ?? '');
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  const type = errorBodyType(shape.error) ?? (typeof shape.type === 'string' ? shape.type : undefined);
  const rawMessage = errorBodyMessage(shape.error) ?? shape.message ?? 'unknown error';
  const message = redactCredentialText(rawMessage, options.secrets).slice(0, 600);

  let kind: ModelCallErrorKind;
  if (name === 'APIUserAbortError' || name === 'AbortError') {
    kind = 'retryable';
  } else if (status === undefined && type === undefined && options.streamStarted === true) {
    kind = 'stream-cut';
  } else {
    kind = kindOf(status, type, rawMessage);
  }
  const seconds = retryAfterSeconds(shape.headers);
  const aborted = name === 'APIUserAbortError' || name === 'AbortError';
  return new ModelCallError({
    kind,
    provider: options.provider,
    message: aborted
      ? `The ${options.provider} call was aborted.`
      : `The ${options.provider} call failed (${kind}${status === undefined ? '' : `, HTTP ${status}`}): ${message}`,
    hint: kind === 'auth' ? `Set ${options.keyVariable} to a valid key. ${hints.auth}` : hints[kind],
    details: {
      provider: options.provider,
      ...(status === undefined ? {} : { status }),
      ...(type === undefined ? {} : { errorType: type }),
      ...(aborted ? { aborted: true } : {}),
    },
    ...(status === undefined ? {} : { status }),
    ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
  });
}

/** The error for a stream that ended without its closing event. */
export function streamCutError(provider: string, detail: string): ModelCallError {
  return new ModelCallError({
    kind: 'stream-cut',
    provider,
    message: `The ${provider} reply stream ended before the model finished (${detail}).`,
    hint: hints['stream-cut'],
    details: { provider },
  });
}
