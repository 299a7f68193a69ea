import {
  emptyUsage,
  type FileEdit,
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  protocolVersion,
  type TokenCount,
} from '@orchestrator/spec';
import {
  parseScriptedPrompt,
  type SeenMessage,
  type SeenPrompt,
  type SeenStaticFinding,
} from './parse-scripted-prompt.ts';
import { chunkEvidenceFor, inventedChunkEvidence, type ScriptedChunkEvidence } from './scripted-citations.ts';
import { scriptedReviewReply } from './scripted-review.ts';
import { fileAcceptanceTest, type RepositoryView, type ScriptedTask, scriptedTaskFor } from './scripted-tasks.ts';

/** Faults the scripted model can inject, to exercise the kernel's rules. */
export const scriptedFaults = [
  /** The first reply of every turn is not JSON; the repair reply is valid. */
  'malformed-json',
  /** Every reply is not JSON. */
  'malformed-json-always',
  /** The first reply of every turn is JSON of the wrong shape; the repair reply is valid. */
  'wrong-schema',
  /** Every reply is JSON of the wrong shape. */
  'wrong-schema-always',
  /** The Builder's first implementation carries a bug the Critic flags as a high risk with a concrete fix. */
  'planted-bug',
  /** The Critic never accepts an implementation (verdict `revise`). */
  'always-revise',
  /** The Critic rejects every proposal and implementation (verdict `reject`). */
  'always-reject',
  /** Every call fails with a provider error (`overloaded`). */
  'model-error',
  /**
   * Every call waits for the `hold` callback first (e.g. until an operator paused the run, once per run): lets a test
   * pause a run mid-turn from the console deterministically, with no timing.
   */
  'hold',
  /** The Builder's first reply of each turn cites a chunk that was not retrieved; the repair reply cites correctly. */
  'invented-citation',
  /** Every Builder reply cites a chunk that was not retrieved. */
  'invented-citation-always',
] as const;
export type ScriptedFault = (typeof scriptedFaults)[number];

/** One recorded call. */
export interface ScriptedCall {
  request: ModelRequest;
  response?: ModelResponse;
  error?: unknown;
}

/** Parses `scripted-v1+planted-bug+malformed-json` into its faults; unknown names are ignored by design of the id. */
export function faultsOfModelId(modelId: string): ScriptedFault[] {
  const names = modelId.split('+').slice(1);
  return names.filter((name): name is ScriptedFault => (scriptedFaults as readonly string[]).includes(name));
}

const rubric = (score: number) => ({
  correctness: score,
  completeness: score,
  risk: score,
  testCoverage: score,
  scope: score,
});

function viewOf(seen: SeenPrompt): RepositoryView {
  return { files: seen.files, read: (path) => seen.fileContents.get(path) };
}

function risksOf(message: SeenMessage | undefined): Array<{ id: string; description: string }> {
  const risks = message?.body.risks;
  return Array.isArray(risks)
    ? risks.map((risk) => ({
        id: String((risk as { id?: unknown }).id),
        description: String((risk as { description?: unknown }).description ?? ''),
      }))
    : [];
}

/** A static reviewer finding as the Architect's risk: anchored to its file and line, with the reviewer's fix. */
function staticFindingRisk(finding: SeenStaticFinding) {
  return {
    id: `static-${finding.ruleId}-${finding.path}-${finding.line}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64),
    severity: finding.severity,
    description: `${finding.path}:${finding.line}: ${finding.message} (static reviewer, ${finding.ruleId})`,
    fix: `In ${finding.path} line ${finding.line}: ${finding.fix}`,
  };
}

function riskIdsOf(message: SeenMessage | undefined): string[] {
  const risks = message?.body.risks;
  return Array.isArray(risks) ? risks.map((risk) => String((risk as { id?: unknown }).id)) : [];
}

/**
 * A deterministic, offline model that plays Architect, Test-writer, Builder and Critic for a few tasks (add a README
 * section, add a LICENSE file, add a function with its test) with real edits; its Test-writer writes an acceptance spec
 * for the function (red until the function exists) and its Critic revises while the shown tests fail. Its reply is a pure function of the request and its
 * faults, so a resumed run gets the same answers. It records every call in `calls`.
 */
export class ScriptedModel implements ModelPort {
  readonly specificationVersion = 'v1';
  readonly provider = 'scripted';
  readonly modelId: string;
  readonly faults: ReadonlySet<ScriptedFault>;
  readonly calls: ScriptedCall[] = [];

  readonly #hold: ((request: ModelRequest) => Promise<void>) | undefined;

  constructor(
    options: {
      modelId?: string;
      faults?: readonly ScriptedFault[];
      /** What a call waits for under the `hold` fault (without it, the fault holds nothing). */
      hold?: (request: ModelRequest) => Promise<void>;
    } = {},
  ) {
    this.modelId = options.modelId ?? 'scripted-v1';
    this.faults = new Set([...faultsOfModelId(this.modelId), ...(options.faults ?? [])]);
    this.#hold = options.hold;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    request.abortSignal?.throwIfAborted();
    if (this.faults.has('hold')) await this.#hold?.(request);
    const call: ScriptedCall = { request };
    this.calls.push(call);
    if (this.faults.has('model-error')) {
      call.error = new ModelCallError({
        kind: 'overloaded',
        provider: 'scripted',
        message: 'The scripted model is overloaded (injected fault).',
      });
      throw call.error;
    }
    const seen = parseScriptedPrompt(request);
    // The model reviewer's request (structured output `review`) gets the scripted reviewer's findings.
    const text = seen.kind === 'review' ? scriptedReviewReply(request) : this.reply(seen);
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch {
      object = undefined;
    }
    const response: ModelResponse = {
      text,
      ...(object === undefined ? {} : { object }),
      finishReason: 'stop',
      usage: {
        ...emptyUsage,
        inputTokens: (await this.countTokens(request)).inputTokens,
        outputTokens: Math.ceil(text.length / 4),
      },
      modelId: this.modelId,
    };
    call.response = response;
    return response;
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
    try {
      const response = await this.generate(request);
      yield { type: 'text-delta', delta: response.text };
      yield { type: 'finish', response };
    } catch (error) {
      yield { type: 'error', error };
    }
  }

  async countTokens(request: ModelRequest): Promise<TokenCount> {
    const characters =
      request.system.reduce((total, part) => total + part.text.length, 0) +
      request.messages.reduce((total, message) => total + message.content.length, 0);
    return { inputTokens: Math.ceil(characters / 4), exact: false };
  }

  private reply(seen: SeenPrompt): string {
    if (this.faults.has('malformed-json-always') || (this.faults.has('malformed-json') && !seen.repair)) {
      return `Sure! Here is my ${seen.kind}: {"kind": "${seen.kind}", "summary": `;
    }
    if (this.faults.has('wrong-schema-always') || (this.faults.has('wrong-schema') && !seen.repair)) {
      return JSON.stringify({ kind: seen.kind, specificationVersion: protocolVersion, summary: 42, edits: 'none' });
    }
    return JSON.stringify(this.message(seen));
  }

  /** The Builder's chunk evidence: the retrieved chunks it relied on, plus an invented one under the citation faults. */
  private citationsFor(seen: SeenPrompt, script: ScriptedTask, edits: readonly FileEdit[]): ScriptedChunkEvidence[] {
    const cited = chunkEvidenceFor({ chunks: seen.chunks, edits, view: viewOf(seen), references: script.references });
    const invent =
      this.faults.has('invented-citation-always') || (this.faults.has('invented-citation') && !seen.repair);
    return invent ? [inventedChunkEvidence(edits), ...cited] : cited;
  }

  private message(seen: SeenPrompt): Record<string, unknown> {
    const script = scriptedTaskFor(seen.task);
    const view = viewOf(seen);
    const base = { specificationVersion: protocolVersion, claims: [], evidence: [], risks: [], resolvedRisks: [] };
    const implementations = seen.conversation.filter((entry) => entry.kind === 'implement');
    const lastVerify = seen.conversation.findLast((entry) => entry.kind === 'verify');
    const verdict = this.faults.has('always-reject')
      ? 'reject'
      : this.faults.has('always-revise')
        ? 'revise'
        : undefined;
    switch (seen.kind) {
      case 'propose': {
        const readme = view.read('README.md');
        return {
          ...base,
          kind: 'propose',
          summary: `Plan for "${seen.task}": ${script.plan.join(' ')}`,
          plan: [...script.plan],
          files: [...script.files],
          claims: [{ statement: script.claim, evidence: readme === undefined ? [] : [0] }],
          // The static reviewer's findings on the code as it stands, raised as risks with the reviewer's fix.
          risks: seen.staticFindings.map(staticFindingRisk),
          evidence:
            readme === undefined
              ? []
              : [{ kind: 'file', path: 'README.md', startLine: 1, endLine: Math.max(1, readme.split('\n').length) }],
        };
      }
      case 'critique': {
        const target = seen.conversation.findLast((entry) => entry.kind === 'propose')?.turn ?? 1;
        return {
          ...base,
          kind: 'critique',
          summary: verdict === undefined ? 'The plan is small and complete.' : `The plan needs work (${verdict}).`,
          targetTurn: target,
          rubric: rubric(verdict === undefined ? 4 : 2),
          verdict: verdict ?? 'accept',
        };
      }
      case 'implement': {
        const flagged = riskIdsOf(lastVerify).includes(script.risk.id);
        const previous = implementations.at(-1)?.body.edits;
        const edits = flagged
          ? script.fix(view)
          : implementations.length === 0
            ? this.faults.has('planted-bug')
              ? script.buggyEdits(view)
              : script.edits(view)
            : previous;
        const evidence = this.citationsFor(seen, script, Array.isArray(edits) ? (edits as FileEdit[]) : []);
        return {
          ...base,
          kind: 'implement',
          summary: flagged ? `Apply the fix for ${script.risk.id}.` : `Implement: ${script.plan.join(' ')}`,
          edits,
          resolvedRisks: flagged ? [script.risk.id] : [],
          evidence,
          claims:
            evidence.length === 0 ? [] : [{ statement: script.claim, evidence: evidence.map((_, index) => index) }],
        };
      }
      case 'test': {
        const acceptance = script.acceptance;
        return {
          ...base,
          kind: 'test',
          summary:
            acceptance === undefined
              ? `Acceptance test for "${seen.task}": the planned file must exist with its content.`
              : `Acceptance test: ${acceptance.description}.`,
          ...(acceptance === undefined ? {} : { acceptance }),
          edits:
            acceptance === undefined
              ? (script.acceptanceEdits?.() ?? fileAcceptanceTest(script.name, script.files[0] ?? 'README.md', ''))
              : [],
        };
      }
      default: {
        const target = implementations.at(-1)?.turn ?? 1;
        const applied = seen.diff.trim() !== '';
        const buggy = script.hasBug(seen.diff);
        const tests = seen.testRuns.findLast((run) => run.phase !== 'red' && run.turn === target);
        const failing = tests !== undefined && tests.exitCode !== 0;
        // The kernel's note on an implementation whose chunk citations failed its check (a protocol error).
        const citationsBroken = seen.notes.some((note) => note.includes('chunk citations do not hold'));
        const accept = applied && !buggy && !failing && !citationsBroken && verdict === undefined;
        // A risk anchored to a file (`path:line: …`, e.g. a static finding) is confirmed only when the diff changes that file.
        const earlierRisks = seen.conversation.flatMap((entry) =>
          risksOf(entry)
            .filter((risk) => {
              const anchored = /^(\S+):\d+: /.exec(risk.description)?.[1];
              return anchored === undefined || seen.diff.includes(`+++ b/${anchored}`);
            })
            .map((risk) => risk.id),
        );
        return {
          ...base,
          kind: 'verify',
          summary: accept
            ? `The diff does the task and I found no problem${tests === undefined ? '' : '; the tests pass'}.`
            : buggy
              ? `Found a bug: ${script.risk.description}`
              : failing
                ? `The tests fail after turn ${target} (\`${tests.command}\` exited ${tests.exitCode}).`
                : citationsBroken
                  ? 'The implementation cites chunks that were not retrieved for it; its evidence does not hold.'
                  : 'The implementation needs another pass.',
          targetTurn: target,
          checks: [
            { name: 'the edits are in the diff', passed: applied },
            { name: 'no known defect in the diff', passed: !buggy },
            ...(tests === undefined ? [] : [{ name: `\`${tests.command}\` passes`, passed: !failing }]),
            ...(citationsBroken ? [{ name: 'the chunk citations hold', passed: false }] : []),
          ],
          evidence:
            tests === undefined
              ? []
              : [
                  {
                    kind: 'test-output',
                    command: tests.command,
                    exitCode: tests.exitCode,
                    excerpt: `exit ${tests.exitCode}`,
                  },
                ],
          risks: buggy ? [script.risk] : [],
          resolvedRisks: accept ? [...new Set(earlierRisks)] : [],
          rubric: accept ? rubric(5) : { ...rubric(3), correctness: buggy ? 2 : 3, risk: buggy ? 2 : 3 },
          verdict: buggy || failing || citationsBroken ? 'revise' : (verdict ?? (applied ? 'accept' : 'revise')),
        };
      }
    }
  }
}
