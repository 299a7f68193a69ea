import {
  emptyUsage,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type TokenCount,
} from '@orchestrator/spec';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same sequence of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Tokens of a text as this stand-in bills them (4 characters a token, like the scripted model). */
export const seededTokensOf = (text: string): number => Math.ceil(text.length / 4);

const words = [
  'the',
  'change',
  'keeps',
  'section',
  'readers',
  'because',
  'install',
  'command',
  'tests',
  'stays',
  'small',
  'scope',
  'review',
  'example',
  'project',
  'plain',
  'clear',
  'first',
  'each',
  'step',
];

export interface SeededVerboseModelOptions {
  /** The model that answers the substance of each request (e.g. the scripted model). */
  inner: ModelPort;
  /** Seed of the length draws; calls draw in arrival order, so consecutive runs get different lengths. */
  seed: number;
  /** How many tokens of rationale a reply wants: drawn uniformly in [minTokens, maxTokens] (default 300 to 2,400). */
  verbosity?: { minTokens: number; maxTokens: number };
}

/** One draw: how long this call's reply wanted to be and how long it was. */
export interface SeededDraw {
  maxOutputTokens: number;
  wantedTokens: number;
  outputTokens: number;
}

/**
 * A stand-in for a real model whose replies vary in length from call to call, and so from run to run. It answers what
 * `inner` answers, then adds a rationale of random length (extra `claims` without evidence, as a verbose model writes
 * its reasoning), drawn from a seeded generator. Like a real API it never bills past the output cap it is sent
 * (`maxOutputTokens`, after the budget's clamp): the rationale stops where the reply reaches the cap, keeping the JSON
 * whole; a reply whose substance alone passes the cap is cut there with finish reason `length`. So the spend of a run
 * is only as steady as the output cap and the prompt packing keep it: without them, lengths vary by the draws.
 */
export class SeededVerboseModel implements ModelPort {
  readonly specificationVersion = 'v1';
  readonly provider: string;
  readonly modelId: string;
  /** Every draw, in call order (for the smoke's report). */
  readonly draws: SeededDraw[] = [];

  readonly #inner: ModelPort;
  readonly #random: () => number;
  readonly #verbosity: { minTokens: number; maxTokens: number };

  constructor(options: SeededVerboseModelOptions) {
    this.#inner = options.inner;
    this.provider = options.inner.provider;
    this.modelId = `${options.inner.modelId}+seeded-${options.seed}`;
    this.#random = seededRandom(options.seed);
    this.#verbosity = options.verbosity ?? { minTokens: 300, maxTokens: 2400 };
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const answer = await this.#inner.generate(request);
    const cap = request.maxOutputTokens;
    const { minTokens, maxTokens } = this.#verbosity;
    const wantedRationale = Math.floor(minTokens + (maxTokens - minTokens) * this.#random());
    const padded = this.#withRationale(answer.text, wantedRationale, cap);
    const cut = seededTokensOf(padded.text) > cap;
    const text = cut ? padded.text.slice(0, cap * 4) : padded.text;
    const outputTokens = seededTokensOf(text);
    this.draws.push({
      maxOutputTokens: cap,
      wantedTokens: seededTokensOf(answer.text) + wantedRationale,
      outputTokens,
    });
    const { object: _unused, ...rest } = answer;
    return {
      ...rest,
      text,
      ...(cut || padded.object === undefined ? {} : { object: padded.object }),
      finishReason: cut ? 'length' : answer.finishReason,
      usage: { ...emptyUsage, inputTokens: (await this.countTokens(request)).inputTokens, outputTokens },
      modelId: this.modelId,
    };
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

  countTokens(request: ModelRequest): Promise<TokenCount> {
    return this.#inner.countTokens(request);
  }

  /** The debate message with claims of rationale appended, up to `wanted` tokens and never past `cap` tokens. */
  #withRationale(text: string, wanted: number, cap: number): { text: string; object?: unknown } {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { text };
    }
    if (typeof message !== 'object' || message === null || !Array.isArray(message.claims)) return { text };
    const claims = [...(message.claims as unknown[])];
    const render = () => JSON.stringify({ ...message, claims });
    const budget = Math.min(seededTokensOf(text) + wanted, cap);
    for (let index = 1; seededTokensOf(render()) < budget; index += 1) {
      const room = (budget - seededTokensOf(render())) * 4 - 40;
      if (room <= 0) break;
      const sentence = this.#sentence(index).slice(0, room);
      claims.push({ statement: sentence, evidence: [] });
    }
    const rendered = render();
    return { text: rendered, object: JSON.parse(rendered) };
  }

  #sentence(index: number): string {
    const picked: string[] = [];
    for (let count = 0; count < 40; count += 1) picked.push(words[Math.floor(this.#random() * words.length)] ?? 'the');
    return `Rationale ${index}: ${picked.join(' ')}.`;
  }
}
