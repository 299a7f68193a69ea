/** Counts the tokens of a text. Injected: the composition root passes a vendor tokenizer; tests pass anything. */
export type TextTokenCounter = (text: string) => number;

/**
 * A conservative token estimate that needs no tokenizer: one token per 3 UTF-8 bytes, rounded up. BPE tokenizers
 * average about 4 bytes per token on English and code, so this over-counts, which is the safe side for budgets and
 * context windows.
 */
export const conservativeTokenEstimate: TextTokenCounter = (text) =>
  text === '' ? 0 : Math.ceil(Buffer.byteLength(text, 'utf8') / 3);
