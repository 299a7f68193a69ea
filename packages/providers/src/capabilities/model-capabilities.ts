import { readFileSync } from 'node:fs';
import type { ModelRequest } from '@orchestrator/spec';
import { z } from 'zod';

export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof reasoningEfforts)[number];

const capabilitySchema = z.object({
  /** `openai`, `openai-compatible` (Chat Completions on another base URL) or `anthropic`. */
  provider: z.string().min(1),
  family: z.string().min(1),
  pattern: z.string().min(1),
  temperature: z.enum(['always', 'never', 'without-reasoning']),
  reasoningByDefault: z.boolean().default(false),
  chatOutputParam: z.enum(['max_completion_tokens', 'max_tokens']).default('max_completion_tokens'),
  reasoning: z.enum(['openai-effort', 'anthropic-thinking', 'none']),
  efforts: z.array(z.enum(reasoningEfforts)),
  defaultOutputTokens: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  contextWindow: z.number().int().positive().optional(),
  checkedAt: z.string(),
});
export type ModelCapability = z.infer<typeof capabilitySchema>;
const tableSchema = z.object({ version: z.literal(1), families: z.array(capabilitySchema) });

/** The capability table (`model-capabilities.json`, versioned data beside the price table). */
export class CapabilityTable {
  readonly families: readonly ModelCapability[];

  constructor(families: readonly ModelCapability[]) {
    this.families = families;
  }

  static bundled(): CapabilityTable {
    const raw = JSON.parse(readFileSync(new URL('./model-capabilities.json', import.meta.url), 'utf8'));
    return new CapabilityTable(tableSchema.parse(raw).families);
  }

  /** The first family of `provider` whose pattern matches the model id (each provider ends with a catch-all). */
  find(provider: string, model: string): ModelCapability {
    const found = this.families.find((entry) => entry.provider === provider && new RegExp(entry.pattern).test(model));
    if (found === undefined) throw new Error(`model-capabilities.json has no catch-all entry for ${provider}`);
    return found;
  }
}

let bundledTable: CapabilityTable | undefined;
/** The bundled table, read once. */
export function bundledCapabilities(): CapabilityTable {
  bundledTable ??= CapabilityTable.bundled();
  return bundledTable;
}

/** The request's options as the model takes them, and what had to change. */
export interface ShapedOptions {
  maxOutputTokens: number;
  temperature: number | undefined;
  /** The effort to send (mapped to the family's own scale), or undefined to send no reasoning control. */
  effort: ReasoningEffort | undefined;
  /** Whether the model will reason (an effort other than `none` was sent, or the family reasons by default). */
  reasoningActive: boolean;
  warnings: string[];
}

/** The family's nearest effort at or above the one asked (or its highest), so a configured effort is never weakened. */
function nearestEffort(asked: ReasoningEffort, supported: readonly ReasoningEffort[]): ReasoningEffort | undefined {
  const order = reasoningEfforts.indexOf(asked);
  return (
    supported.find((effort) => reasoningEfforts.indexOf(effort) >= order) ??
    [...supported].sort((a, b) => reasoningEfforts.indexOf(b) - reasoningEfforts.indexOf(a))[0]
  );
}

/**
 * Shapes a request's options for a model family: lowers an output cap above the family's maximum, maps the
 * configured reasoning effort onto the family's scale (or drops it when the family has no reasoning control) and
 * drops a temperature the model would reject. Every change is reported in `warnings`.
 */
export function shapeOptions(
  capability: ModelCapability,
  model: string,
  request: ModelRequest,
  asked: ReasoningEffort | undefined,
): ShapedOptions {
  const warnings: string[] = [];
  let maxOutputTokens = request.maxOutputTokens;
  if (maxOutputTokens > capability.maxOutputTokens) {
    warnings.push(
      `option-lowered: maxOutputTokens ${maxOutputTokens} is above ${model}'s maximum; sent ${capability.maxOutputTokens}.`,
    );
    maxOutputTokens = capability.maxOutputTokens;
  }
  let effort: ReasoningEffort | undefined;
  if (asked !== undefined) {
    if (capability.reasoning === 'none' || capability.efforts.length === 0) {
      if (asked !== 'none')
        warnings.push(`option-dropped: ${model} has no reasoning control; reasoning.effort ignored.`);
    } else {
      effort = capability.efforts.includes(asked) ? asked : nearestEffort(asked, capability.efforts);
      if (effort !== asked) warnings.push(`option-mapped: ${model} has no effort "${asked}"; sent "${effort}".`);
    }
  }
  const reasoningActive =
    capability.reasoning !== 'none' && (effort === undefined ? capability.reasoningByDefault : effort !== 'none');
  let temperature = request.temperature;
  if (temperature !== undefined) {
    const rejected =
      capability.temperature === 'never' || (capability.temperature === 'without-reasoning' && reasoningActive);
    if (rejected) {
      warnings.push(
        `option-dropped: ${model} does not take temperature${capability.temperature === 'never' ? '' : ' while it reasons'}; not sent.`,
      );
      temperature = undefined;
    }
  }
  return { maxOutputTokens, temperature, effort, reasoningActive, warnings };
}
