import type { ModelCallContext, ModelPort, PolicyFinding } from '@orchestrator/spec';
import { findingSeveritySchema, ModelOutputError } from '@orchestrator/spec';
import { z } from 'zod';
import { findingId } from '../redact-value.ts';
import { redactSecretsInText } from '../secrets/redact-prompt.ts';

/** The structured reply the model reviewer must produce. */
export const modelReviewSchema = z.strictObject({
  findings: z
    .array(
      z.strictObject({
        path: z.string().min(1).describe('repository-relative path of the file, as in the diff'),
        line: z.number().int().positive().describe('line number in the new version of the file'),
        category: z
          .enum([
            'injection',
            'eval',
            'path-traversal',
            'hard-coded-credential',
            'weak-crypto',
            'xss',
            'auth',
            'logic',
            'other',
          ])
          .describe('kind of problem'),
        severity: findingSeveritySchema,
        message: z.string().min(1).describe('why this is a problem, one or two sentences'),
        fix: z.string().min(1).describe('how to fix it'),
      }),
    )
    .describe('problems found in the added lines; empty when the change looks fine'),
});
export type ModelReview = z.infer<typeof modelReviewSchema>;

const reviewerInstructions = `You are a security-minded code reviewer. Review ONLY the added lines (starting with +) of the unified diff.
Report concrete problems: injection (SQL, shell), eval of input, path traversal, hard-coded credentials, weak crypto,
XSS, broken authentication, and clear logic bugs. Give the file path and the line number in the NEW file. Never quote
secret values. If nothing is wrong, return an empty list. Reply with the JSON object only.`;

export interface ModelReviewOptions {
  /** Upper bound on output tokens. Default 2000. */
  maxOutputTokens?: number;
  /** Sampling temperature; none by default (the adapter drops it for models that reject it). */
  temperature?: number;
  /** Who is calling, for the journal and the budget ledger. */
  context?: ModelCallContext;
  abortSignal?: AbortSignal;
}

/**
 * The model reviewer: asks `model` for structured findings on a diff and validates them with zod. Secrets in the diff
 * are redacted before it is sent, and again in whatever the model replies. Throws `ModelOutputError`
 * (`review-output-invalid`) when the reply does not match the schema, for the kernel's bounded repair.
 */
export async function reviewWithModel(
  model: ModelPort,
  diff: string,
  options: ModelReviewOptions = {},
): Promise<PolicyFinding[]> {
  const redactedDiff = await redactSecretsInText(diff, 'prompt');
  const response = await model.generate({
    system: [{ text: reviewerInstructions, cacheable: true }],
    messages: [{ role: 'user', content: `Review this diff:\n\n${redactedDiff.text}` }],
    maxOutputTokens: options.maxOutputTokens ?? 2000,
    // No temperature: reasoning models (GPT-5, o-series) reject any, and the adapters' capability table decides.
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    output: {
      name: 'review',
      description: 'Security and correctness findings on the added lines of a diff.',
      schema: z.toJSONSchema(modelReviewSchema) as Record<string, unknown>,
    },
    context: { role: 'reviewer', ...options.context },
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  });
  let raw: unknown = response.object;
  if (raw === undefined) {
    try {
      raw = JSON.parse(response.text);
    } catch {
      raw = undefined;
    }
  }
  const parsed = modelReviewSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelOutputError({
      code: 'review-output-invalid',
      message: `The model reviewer's reply does not match the review schema: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      hint: 'The kernel re-asks the model with this error; if it keeps failing, bind the reviewer role to a model that supports structured output.',
      details: { provider: model.provider, modelId: model.modelId },
    });
  }
  const findings: PolicyFinding[] = [];
  for (const item of parsed.data.findings) {
    const message = (await redactSecretsInText(item.message, 'diff')).text;
    const fix = (await redactSecretsInText(item.fix, 'diff')).text;
    const ruleId = `review.model.${item.category}`;
    findings.push({
      specificationVersion: 'v1',
      id: findingId(ruleId, item.path, `${item.line}:${message}`),
      type: 'review',
      ruleId,
      severity: item.severity,
      path: item.path,
      line: item.line,
      source: 'diff',
      message,
      fix,
      scanner: 'model-reviewer',
    });
  }
  return findings;
}
