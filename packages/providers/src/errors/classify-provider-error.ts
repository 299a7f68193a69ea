import { ModelCallError, type ModelCallErrorKind } from '@orchestrator/spec';
import { type GuardTrip, GuardTripError } from '../bounds/call-guard.ts';
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
    'The provider rate-limited the call (retries are capped, and a long retry-after is never slept through); resume the run after the time given, or raise your rate limit.',
  overloaded: 'The provider is overloaded; the run pauses (provider-overloaded) and can be resumed when it recovers.',
  retryable: 'A transient provider or network failure; resume the run to try again.',
  'stream-cut': 'The reply stream ended before the model finished; the partial reply was discarded. Resume to retry.',
  'context-overflow':
    'The prompt is longer than the model accepts; reduce the repository context or pick a model with a larger window.',
  'invalid-request':
    'The provider rejected the request as invalid; check the model id and options in orchestrator.config.*.',
  auth: 'Check the API key in your environment (.env) for this provider, or bind the role to another provider.',
  billing:
    "The provider account is out of quota, credit or its spend limit: fix billing in the provider's console, then resume the run. Retrying before that cannot succeed.",
  timeout:
    'The provider went silent or the call passed its deadline; the run pauses. Resume to retry, or raise providers.<provider>.idleTimeoutSeconds / timeoutSeconds in orchestrator.config.*.',
};

/**
 * Error types and codes that mean the account cannot pay (OpenAI `insufficient_quota`, spend limits; Anthropic 402
 * `billing_error`): the user must fix billing, so they are never retried nor mistaken for a rate limit.
 */
const billingTypes = new Set([
  'insufficient_quota',
  'billing_error',
  'enforced_spend_limit_reached',
  'billing_hard_limit_reached',
  'billing_not_active',
  'credit_balance_too_low',
]);
const billingMessagePattern = /credit balance is too low|exceeded your current quota|spend(ing)? limit|billing/i;

/** The error's type and code as the body names them (OpenAI puts the telling one in `code`, Anthropic in `type`). */
function errorBodyTypes(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const inner =
    typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : {};
  return [inner.code, inner.type, record.code, record.type].filter(
    (value): value is string => typeof value === 'string' && value !== 'error',
  );
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

function kindOf(status: number | undefined, types: readonly string[], message: string): ModelCallErrorKind {
  const has = (name: string) => types.includes(name);
  // Billing first: OpenAI answers an empty quota with 429, which is not a rate limit.
  if (types.some((candidate) => billingTypes.has(candidate)) || status === 402) return 'billing';
  if (status === 429 && billingMessagePattern.test(message)) return 'billing';
  if (has('overloaded_error') || has('server_is_overloaded') || status === 529 || status === 503) return 'overloaded';
  if (has('rate_limit_error') || has('rate_limit_exceeded') || status === 429) return 'rate-limited';
  if (status === 401 || status === 403 || has('authentication_error') || has('permission_error')) return 'auth';
  if (status === 413 || contextOverflowPattern.test(message) || has('context_length_exceeded')) {
    return 'context-overflow';
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
    return 'invalid-request';
  }
  if (has('invalid_request_error')) return 'invalid-request';
  return 'retryable';
}

/** An ISO time `seconds` from `now`, to the second. */
function untilTime(now: number, seconds: number): string {
  return new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function timeoutError(provider: string, trip: GuardTrip): ModelCallError {
  const what =
    trip.bound === 'idle'
      ? `no byte arrived for ${trip.seconds} s (idle limit)`
      : `the call passed its total deadline of ${trip.seconds} s`;
  return new ModelCallError({
    kind: 'timeout',
    provider,
    message: `The ${provider} call timed out: ${what}.`,
    hint: hints.timeout.replace('<provider>', provider),
    details: { provider, bound: trip.bound, limitSeconds: trip.seconds },
  });
}

function findTrip(error: unknown): GuardTrip | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof GuardTripError) return current.trip;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
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
  /** The bound that ended the call (from its `CallGuard`): the failure is then a timeout, whatever the SDK threw. */
  trip?: GuardTrip | undefined;
  /** Clock for "rate-limited until <time>" (ms since the epoch); `Date.now` by default. */
  now?: () => number;
}

/** Turns whatever an SDK threw into a classified, credential-free `ModelCallError`. */
export function classifyProviderError(error: unknown, options: ClassifyOptions): ModelCallError {
  if (ModelCallError.isModelCallError(error)) return error;
  const trip = options.trip ?? findTrip(error);
  if (trip !== undefined) return timeoutError(options.provider, trip);
  const shape = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorShape;
  const className = (shape as { constructor?: { name?: string } }).constructor?.name ?? '';
  const name = className === 'APIUserAbortError' ? className : (shape.name ?? '');
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  const types = [
    ...errorBodyTypes(shape.error),
    ...[shape.code, shape.type].filter((value): value is string => typeof value === 'string'),
  ];
  const type = types[0];
  const rawMessage = errorBodyMessage(shape.error) ?? shape.message ?? 'unknown error';
  const message = redactCredentialText(rawMessage, options.secrets).slice(0, 600);

  let kind: ModelCallErrorKind;
  if (name === 'APIUserAbortError' || name === 'AbortError') {
    kind = 'retryable';
  } else if (className === 'APIConnectionTimeoutError') {
    kind = 'timeout';
  } else if (status === undefined && type === undefined && options.streamStarted === true) {
    kind = 'stream-cut';
  } else {
    kind = kindOf(status, types, rawMessage);
  }
  const seconds = retryAfterSeconds(shape.headers);
  const aborted = name === 'APIUserAbortError' || name === 'AbortError';
  const until =
    kind === 'rate-limited' && seconds !== undefined
      ? ` — rate-limited until ${untilTime((options.now ?? Date.now)(), seconds)}`
      : kind === 'billing'
        ? ' — fix billing, then resume'
        : '';
  return new ModelCallError({
    kind,
    provider: options.provider,
    message: aborted
      ? `The ${options.provider} call was aborted.`
      : `The ${options.provider} call failed (${kind}${status === undefined ? '' : `, HTTP ${status}`}): ${message}${until}`,
    hint:
      kind === 'auth'
        ? `Set ${options.keyVariable} to a valid key. ${hints.auth}`
        : kind === 'timeout'
          ? hints.timeout.replace('<provider>', options.provider)
          : hints[kind],
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
