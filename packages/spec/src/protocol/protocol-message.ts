import { z } from 'zod';
import { acceptanceSpecSchema } from '../sandbox/acceptance-spec.ts';
import { claimSchema } from './claim.ts';
import { evidenceSchema } from './evidence.ts';
import { fileEditSchema } from './file-edit-schema.ts';
import { protocolVersion } from './protocol-version.ts';
import { riskSchema } from './risk.ts';
import { rubricSchema, verdictSchema } from './rubric.ts';

/** Fields every debate message carries. */
const messageBase = {
  /** Protocol version the message was written in. */
  specificationVersion: z.literal(protocolVersion),
  /** One line saying what the message is about, shown in the live transcript. */
  summary: z.string().min(1).max(500),
  /** What the author asserts. */
  claims: z.array(claimSchema).default([]),
  /** What backs the claims: file line ranges, retrieved chunk ids, test output. */
  evidence: z.array(evidenceSchema).default([]),
  /** Risks the author raises, each with a concrete fix. */
  risks: z.array(riskSchema).default([]),
  /** Ids of risks raised earlier in the run that this message resolves (by applying or confirming their fix). */
  resolvedRisks: z.array(z.string()).default([]),
};

/** The Architect's plan for the task. */
export const proposeMessageSchema = z.strictObject({
  ...messageBase,
  kind: z.literal('propose'),
  /** Ordered steps of the plan. */
  plan: z.array(z.string().min(1)).min(1),
  /** Files the plan expects to create or change. */
  files: z.array(z.string().min(1)).default([]),
});

/** The Critic's review of a proposal: rubric scores and a verdict. */
export const critiqueMessageSchema = z.strictObject({
  ...messageBase,
  kind: z.literal('critique'),
  /** The turn number of the message being critiqued. */
  targetTurn: z.number().int().positive(),
  /** Scores per criterion. */
  rubric: rubricSchema,
  /** The decision. */
  verdict: verdictSchema,
});

/** The Builder's change: edits to apply to the workspace. */
export const implementMessageSchema = z.strictObject({
  ...messageBase,
  kind: z.literal('implement'),
  /** The edits, applied atomically (search/replace blocks preferred, unified diffs accepted). */
  edits: z.array(fileEditSchema).min(1),
});

/**
 * The Test-writer's acceptance test, written before the Builder implements: an acceptance spec the kernel renders for
 * the repository's test framework, and/or direct edits creating the test file. It must fail for the expected reason
 * (an assertion, or the code under test not existing yet) before the Builder may implement.
 */
export const testMessageSchema = z
  .strictObject({
    ...messageBase,
    kind: z.literal('test'),
    /** The behaviour to prove, as function examples; rendered into a test file for the detected framework. */
    acceptance: acceptanceSpecSchema.optional(),
    /** Edits creating (or changing) test files directly, when an acceptance spec cannot express the behaviour. */
    edits: z.array(fileEditSchema).default([]),
  })
  .refine((message) => message.acceptance !== undefined || message.edits.length > 0, {
    message: 'a test message needs an `acceptance` spec or at least one edit creating the test',
    path: ['acceptance'],
  });

/** One check the verifier performed on an implementation. */
export const verificationCheckSchema = z.strictObject({
  /** What was checked, e.g. `diff applies`, `function handles empty input`. */
  name: z.string().min(1),
  /** Whether it passed. */
  passed: z.boolean(),
  /** Details, e.g. the failing line. */
  detail: z.string().optional(),
});

/** The Critic (acting as Verifier) on the latest implementation: checks, rubric and a verdict. */
export const verifyMessageSchema = z.strictObject({
  ...messageBase,
  kind: z.literal('verify'),
  /** The turn number of the implementation verified. */
  targetTurn: z.number().int().positive(),
  /** Checks performed. */
  checks: z.array(verificationCheckSchema).default([]),
  /** Scores per criterion. */
  rubric: rubricSchema,
  /** `accept` means verified; `revise` sends it back to the Builder; `reject` back to the Architect. */
  verdict: verdictSchema,
});

/** Any debate message, discriminated by `kind`. */
export const protocolMessageSchema = z.discriminatedUnion('kind', [
  proposeMessageSchema,
  critiqueMessageSchema,
  implementMessageSchema,
  verifyMessageSchema,
  testMessageSchema,
]);

export type ProposeMessage = z.infer<typeof proposeMessageSchema>;
export type CritiqueMessage = z.infer<typeof critiqueMessageSchema>;
export type ImplementMessage = z.infer<typeof implementMessageSchema>;
export type VerifyMessage = z.infer<typeof verifyMessageSchema>;
export type TestMessage = z.infer<typeof testMessageSchema>;
export type VerificationCheck = z.infer<typeof verificationCheckSchema>;
/** A validated debate message (defaults applied). */
export type ProtocolMessage = z.infer<typeof protocolMessageSchema>;
/** A debate message as a model may write it (defaults not yet applied). */
export type ProtocolMessageInput = z.input<typeof protocolMessageSchema>;
export type ProtocolMessageKind = ProtocolMessage['kind'];

/** The schema of each message kind. */
export const protocolMessageSchemas = {
  propose: proposeMessageSchema,
  critique: critiqueMessageSchema,
  implement: implementMessageSchema,
  verify: verifyMessageSchema,
  test: testMessageSchema,
} as const;
