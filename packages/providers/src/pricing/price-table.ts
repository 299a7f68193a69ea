import { readFileSync } from 'node:fs';
import { type ModelPrice, type ModelUsage, modelPriceSchema, UserError } from '@orchestrator/spec';
import { z } from 'zod';

const tableSchema = z.object({ version: z.literal(1), models: z.array(modelPriceSchema) });

export type { ModelPrice };

export class PriceTable {
  readonly entries: readonly ModelPrice[];

  constructor(entries: readonly ModelPrice[]) {
    this.entries = entries;
  }

  /** The bundled table (`price-table.json`), optionally extended by user entries that take precedence. */
  static bundled(extra: readonly ModelPrice[] = []): PriceTable {
    const raw = JSON.parse(readFileSync(new URL('./price-table.json', import.meta.url), 'utf8'));
    return new PriceTable([...extra, ...tableSchema.parse(raw).models]);
  }

  /** The price of a model (by id or alias); OpenAI-compatible servers reuse the `openai` prices only for known ids. */
  find(provider: string, model: string): ModelPrice | undefined {
    return this.entries.find(
      (entry) => entry.provider === provider && (entry.model === model || entry.aliases.includes(model)),
    );
  }

  /** Like `find`, but refuses unpriced models with an error that says how to add a price. */
  require(provider: string, model: string): ModelPrice {
    const price = this.find(provider, model);
    if (price) return price;
    throw new UserError({
      code: 'model-unpriced',
      message: `No price is known for ${provider}/${model}, so a budget cap cannot be enforced for it.`,
      hint: `Add it under "prices" in orchestrator.config.* as { "provider": "${provider}", "model": "${model}", "input": <USD per Mtok>, "output": <USD per Mtok>, "cacheWrite": <USD per Mtok>, "cacheRead": <USD per Mtok>, "contextWindow": <tokens>, "checkedAt": "<YYYY-MM-DD>" }, or run without a budget cap.`,
      details: { provider, model },
    });
  }
}

/** Cost in USD of a call's usage at a price. */
export function costOfUsage(usage: ModelUsage, price: ModelPrice): number {
  const perToken = 1 / 1_000_000;
  return (
    usage.inputTokens * price.input * perToken +
    usage.outputTokens * price.output * perToken +
    usage.cacheWriteTokens * price.cacheWrite * perToken +
    usage.cacheReadTokens * price.cacheRead * perToken
  );
}
