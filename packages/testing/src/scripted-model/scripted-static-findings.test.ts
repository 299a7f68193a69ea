import { describe, expect, it } from 'vitest';
import { ScriptedModel } from './scripted-model.ts';

const prompt = [
  '## Task',
  'add a README section',
  '',
  '#### Static review findings',
  '- [high] src/calculate.js:2 review.eval — Dynamic code execution. — fix: Parse the data instead.',
  '',
  '## Your turn (turn 1)',
].join('\n');

describe('the scripted Architect and static review findings', () => {
  it('raises each finding in its context as a risk anchored to the file and line, with the fix', async () => {
    const response = await new ScriptedModel().generate({
      system: [{ text: 'architect' }],
      messages: [{ role: 'user', content: prompt }],
      maxOutputTokens: 4096,
      output: { name: 'propose', schema: {} },
    });
    expect(JSON.parse(response.text).risks).toEqual([
      {
        id: 'static-review.eval-src-calculate.js-2',
        severity: 'high',
        description: 'src/calculate.js:2: Dynamic code execution. (static reviewer, review.eval)',
        fix: 'In src/calculate.js line 2: Parse the data instead.',
      },
    ]);
  });

  it('raises no risk when the context has no findings', async () => {
    const response = await new ScriptedModel().generate({
      system: [{ text: 'architect' }],
      messages: [{ role: 'user', content: prompt.replace(/#### Static review findings\n.*\n/, '') }],
      maxOutputTokens: 4096,
      output: { name: 'propose', schema: {} },
    });
    expect(JSON.parse(response.text).risks).toEqual([]);
  });
});
