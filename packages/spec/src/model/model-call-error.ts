import { type OrchestratorErrorOptions, SystemError, UserError } from '../errors/orchestrator-error.ts';

/**
 * How a failed model call should be treated by the kernel.
 * - `rate-limited` (429), `overloaded` (529/503), `retryable` (5xx, network, cut stream): transient; the SDK has already retried.
 * - `context-overflow`: the prompt is too long; pack less context and retry.
 * - `invalid-request` (400/404/422): a bug or an unsupported option; do not retry.
 * - `auth` (401/403): the key is missing or wrong; the user must act.
 * - `billing` (quota used up, spend limit reached, 402): not retryable; the user must fix billing, then resume.
 * - `timeout`: the provider sent nothing for the idle limit, or the call passed its total deadline; may have billed.
 */
export type ModelCallErrorKind =
  | 'retryable'
  | 'rate-limited'
  | 'overloaded'
  | 'context-overflow'
  | 'invalid-request'
  | 'auth'
  | 'billing'
  | 'timeout'
  | 'stream-cut';

export interface ModelCallErrorOptions extends Omit<OrchestratorErrorOptions, 'code'> {
  /** Classification of the failure. */
  kind: ModelCallErrorKind;
  /** Provider name, e.g. `anthropic`. */
  provider: string;
  /** HTTP status, when there was one. */
  status?: number;
  /** Seconds the provider asked us to wait (`retry-after`), when it said. */
  retryAfterSeconds?: number;
}

/** A model call failed. `kind` tells the kernel what to do; `code` is `model-call-<kind>`. */
export class ModelCallError extends SystemError {
  readonly kind: ModelCallErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(options: ModelCallErrorOptions) {
    super({ ...options, code: `model-call-${options.kind}` });
    this.name = 'ModelCallError';
    this.kind = options.kind;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** True for failures that may succeed if tried again later. */
  get transient(): boolean {
    return (
      this.kind === 'retryable' ||
      this.kind === 'rate-limited' ||
      this.kind === 'overloaded' ||
      this.kind === 'timeout' ||
      this.kind === 'stream-cut'
    );
  }

  static isModelCallError(value: unknown): value is ModelCallError {
    return (
      SystemError.isInstance(value) &&
      typeof (value as { kind?: unknown }).kind === 'string' &&
      value.code.startsWith('model-call-')
    );
  }
}

/** The provider's credentials are missing or rejected. */
export class ModelAuthError extends UserError {
  constructor(provider: string, envVar: string) {
    super({
      code: 'model-auth',
      message: `The ${provider} API rejected the credentials (or none were given).`,
      hint: `Set ${envVar} in your environment or .env file, or bind the role to another provider in orchestrator.config.*.`,
      details: { provider },
    });
  }
}
