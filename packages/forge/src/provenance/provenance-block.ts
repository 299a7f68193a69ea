import { type Provenance, provenanceFenceLabel, provenanceSchema } from '@orchestrator/spec';

const fence = '```';
const blockPattern = new RegExp(
  `^${fence}${provenanceFenceLabel}[ \\t]*\\r?\\n([\\s\\S]*?)\\r?\\n${fence}[ \\t]*$`,
  'm',
);

/**
 * Renders the provenance as a fenced block (`orchestrator-provenance`) holding pretty-printed JSON, preceded by a
 * one-line human summary. Contents of prompts and responses never appear: only their sha256.
 */
export function renderProvenanceBlock(provenance: Provenance): string {
  const roles = provenance.models.map((model) => `${model.role}: ${model.provider}/${model.model}`).join(', ');
  const summary =
    `<sub>Made by orchestrator run \`${provenance.runId}\` · ${provenance.calls.length} model calls · ` +
    `$${provenance.spend.usd.toFixed(4)}${roles === '' ? '' : ` · ${roles}`}. ` +
    `Verify with \`orchestrator verify-provenance <pr>\`.</sub>`;
  return `${summary}\n\n${fence}${provenanceFenceLabel}\n${JSON.stringify(provenance, null, 2)}\n${fence}\n`;
}

/** Result of looking for a provenance block: absent is not an error, a malformed one is reported. */
export type ParseProvenanceResult =
  | { found: true; provenance: Provenance }
  | { found: false }
  | { found: true; error: string };

/** Finds and validates the provenance block in a pull request body. */
export function parseProvenanceBlock(body: string): ParseProvenanceResult {
  const match = blockPattern.exec(body);
  if (match === null) return { found: false };
  let json: unknown;
  try {
    json = JSON.parse(match[1] ?? '');
  } catch (cause) {
    return { found: true, error: `The provenance block is not valid JSON: ${String(cause)}` };
  }
  const parsed = provenanceSchema.safeParse(json);
  if (!parsed.success) {
    return { found: true, error: `The provenance block does not match schema v1: ${parsed.error.message}` };
  }
  return { found: true, provenance: parsed.data };
}

/** Replaces the provenance block of `body` (or appends one) with `provenance`. */
export function withProvenanceBlock(body: string, provenance: Provenance): string {
  const block = renderProvenanceBlock(provenance);
  const start = body.indexOf(`<sub>Made by orchestrator run`);
  const match = blockPattern.exec(body);
  if (match === null) return `${body.trimEnd()}\n\n${block}`;
  const from = start >= 0 && start < match.index ? start : match.index;
  return `${body.slice(0, from)}${block}${body.slice(match.index + match[0].length).replace(/^\r?\n/, '')}`;
}
