/** Tokens and dollars summed over model calls. */
export interface TokenTotals {
  /** Model calls that ended (successfully or from the response cache). */
  calls: number;
  /** Calls that failed (`model-call-error`). */
  failedCalls: number;
  /** Calls served from the response cache. */
  cachedCalls: number;
  /** Input tokens at the normal input price. */
  inputTokens: number;
  /** Output tokens (reasoning included). */
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens: number;
  /** Hidden reasoning tokens (part of `outputTokens`). */
  reasoningTokens: number;
  /** Settled cost in USD. */
  costUsd: number;
}
