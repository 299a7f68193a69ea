const marker = Symbol.for('orchestrator.error');

/** Who must act to resolve an error: the user (configuration, input), the model (malformed output), or the system (I/O, outages). */
export type ErrorActor = 'user' | 'model' | 'system';

export interface OrchestratorErrorOptions {
  /** Stable, machine-readable code, e.g. `config-invalid`. Never changes once published. */
  code: string;
  /** What happened, in one sentence a user can read. */
  message: string;
  /** What to do about it; shown after the message. */
  hint?: string;
  /** Structured context (never secrets); serialized into the journal and JSON output. */
  details?: Record<string, unknown>;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one base error of the product. Subclasses are sorted by who must act.
 * Use `OrchestratorError.isInstance` rather than `instanceof`, which breaks across package copies.
 */
export class OrchestratorError extends Error {
  protected readonly [marker] = true;
  /** Stable code of the error. */
  readonly code: string;
  /** Who must act. */
  readonly actor: ErrorActor;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Structured context, free of secrets. */
  readonly details: Record<string, unknown>;

  constructor(actor: ErrorActor, options: OrchestratorErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrchestratorError';
    this.code = options.code;
    this.actor = actor;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  static isInstance(value: unknown): value is OrchestratorError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** The message followed by the hint, as printed to a terminal. */
  get actionableMessage(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  → ${this.hint}`;
  }

  toJSON(): { code: string; actor: ErrorActor; message: string; hint?: string; details: Record<string, unknown> } {
    return {
      code: this.code,
      actor: this.actor,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      details: this.details,
    };
  }
}

/** The user must act: invalid configuration, bad input, a non-git directory, a missing tool. */
export class UserError extends OrchestratorError {
  constructor(options: OrchestratorErrorOptions) {
    super('user', options);
    this.name = 'UserError';
  }
}

/** The model produced something unusable: malformed JSON, wrong schema, a refusal. */
export class ModelOutputError extends OrchestratorError {
  constructor(options: OrchestratorErrorOptions) {
    super('model', options);
    this.name = 'ModelOutputError';
  }
}

/** The system failed: I/O, a provider outage, a database that is unreachable. */
export class SystemError extends OrchestratorError {
  constructor(options: OrchestratorErrorOptions) {
    super('system', options);
    this.name = 'SystemError';
  }
}
