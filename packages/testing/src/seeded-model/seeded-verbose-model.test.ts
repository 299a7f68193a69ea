import { describe, expect, it } from 'vitest';
import { ScriptedModel } from '../scripted-model/scripted-model.ts';
import { SeededVerboseModel, seededRandom, seededTokensOf } from './seeded-verbose-model.ts';

const proposeRequest = (maxOutputTokens: number) => ({
  system: [{ text: 'You are the architect.' }],
  messages: [{ role: 'user' as const, content: '## Task\nadd a README section\n\n## Your turn (turn 1)\n' }],
  maxOutputTokens,
  output: { name: 'propose', schema: {} },
});

describe('SeededVerboseModel', () => {
  it('draws the same numbers for the same seed and others for another seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
  });

  it('varies reply lengths from call to call but never bills past the output cap', async () => {
    const model = new SeededVerboseModel({
      inner: new ScriptedModel(),
      seed: 4,
      verbosity: { minTokens: 0, maxTokens: 2000 },
    });
    const lengths: number[] = [];
    for (let call = 0; call < 6; call += 1) {
      const response = await model.generate(proposeRequest(2000));
      expect(response.usage.outputTokens).toBe(seededTokensOf(response.text));
      expect(response.usage.outputTokens).toBeLessThanOrEqual(2000);
      expect(JSON.parse(response.text).kind).toBe('propose');
      lengths.push(response.usage.outputTokens);
    }
    expect(new Set(lengths).size).toBeGreaterThan(3);
  });

  it('fills the reply up to a cap it overruns, and cuts a reply whose substance passes the cap', async () => {
    const verbose = new SeededVerboseModel({
      inner: new ScriptedModel(),
      seed: 1,
      verbosity: { minTokens: 3000, maxTokens: 4000 },
    });
    const full = await verbose.generate(proposeRequest(600));
    expect(full.finishReason).toBe('stop');
    expect(full.usage.outputTokens).toBeGreaterThan(590);
    expect(full.usage.outputTokens).toBeLessThanOrEqual(600);
    const cut = await verbose.generate(proposeRequest(20));
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.outputTokens).toBe(20);
  });
});
