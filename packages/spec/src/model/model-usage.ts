/** Token usage of one model call, as reported by the provider (or counted, for the scripted model). */
export interface ModelUsage {
  /** Input tokens billed at the normal input price (excludes cache reads and writes). */
  inputTokens: number;
  /** Output tokens, including reasoning tokens. */
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cache-read price). */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache (billed at the cache-write price). */
  cacheWriteTokens: number;
  /** Of `outputTokens`, how many were hidden reasoning tokens (0 when the provider does not say). */
  reasoningTokens: number;
}

export const emptyUsage: Readonly<ModelUsage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});
