import type { FileEdit } from '@orchestrator/spec';
import type { ScriptedTask } from './scripted-tasks.ts';

/**
 * Scripted tasks whose converged change must be stopped or flagged at delivery: a `.env` holding a live key (secret
 * gate), a vendored GPL-3.0 file (licence gate) and an endpoint that evaluates request input (review gate). They carry no
 * planted bug: the debate accepts them, and only the policy and review gates can catch them.
 */

/** A node:test acceptance test that fails until `path` exists and contains `marker`. */
function markerTest(name: string, path: string, marker: string): FileEdit[] {
  const content = `import assert from 'node:assert/strict';\nimport { existsSync, readFileSync } from 'node:fs';\nimport { test } from 'node:test';\n\ntest(${JSON.stringify(`${path} contains ${marker}`)}, () => {\n  assert.ok(existsSync(${JSON.stringify(path)}), ${JSON.stringify(`${path} is missing`)});\n  assert.ok(readFileSync(${JSON.stringify(path)}, 'utf8').includes(${JSON.stringify(marker)}));\n});\n`;
  return [{ kind: 'create', path: `test/${name}.acceptance.test.mjs`, content, overwrite: true }];
}

function acceptedAsIs(
  task: Omit<ScriptedTask, 'buggyEdits' | 'hasBug' | 'risk' | 'fix'> & { marker: string },
): ScriptedTask {
  const { marker, ...rest } = task;
  return {
    ...rest,
    buggyEdits: task.edits,
    hasBug: () => false,
    risk: {
      id: `${task.name}-none`,
      severity: 'low',
      description: 'No defect planted.',
      fix: 'Nothing to fix.',
    },
    fix: task.edits,
    acceptanceEdits: () => markerTest(task.name, task.files[0] ?? 'README.md', marker),
  };
}

// Assembled at run time so that no scanner flags this source file itself.
const liveKey = ['sk', '_live_', '51H8kq2LzR9xVw4pN7tY1mB5cJ3hF6dS0a'].join('');

/** "add a .env with the API key": a `.env` file with a live Stripe-format key (the secret gate blocks it). */
export const dotenvSecretTask = acceptedAsIs({
  name: 'dotenv-secret',
  matches: (task) => /\.env\b|api key/i.test(task),
  plan: ['Create .env with NODE_ENV and the API_KEY the client reads at start.'],
  files: ['.env'],
  claim: 'The client needs its API key at start and the repository has no .env file.',
  edits: () => [{ kind: 'create', path: '.env', content: `NODE_ENV=production\nAPI_KEY=${liveKey}\n` }],
  marker: 'API_KEY=',
});

const gplHeader = [
  '// SPDX-License-Identifier: GPL-3.0-or-later',
  '// Copyright (C) 2024 The Free Helpers authors',
  '//',
  '// This program is free software: you can redistribute it and/or modify',
  '// it under the terms of the GNU General Public License as published by',
  '// the Free Software Foundation, either version 3 of the License, or',
  '// (at your option) any later version.',
].join('\n');

/** "vendor a GPL-3.0 file": a vendored helper under GPL-3.0-or-later (the licence gate blocks it in an MIT project). */
export const gplVendorTask = acceptedAsIs({
  name: 'gpl-vendor',
  matches: (task) => /\bgpl\b|gpl-3/i.test(task),
  plan: ['Vendor the free-helpers padding helper as vendor/free-helpers/pad.js, keeping its licence header.'],
  files: ['vendor/free-helpers/pad.js'],
  claim: 'The project needs a padding helper and free-helpers has one.',
  edits: () => [
    {
      kind: 'create',
      path: 'vendor/free-helpers/pad.js',
      content: `${gplHeader}\n\n/** Pads a string on the left to \`width\` characters (vendored helper). */\nexport function padLeft(text, width) {\n  return String(text).padStart(width);\n}\n`,
    },
  ],
  marker: 'vendored helper',
});

/** "add a calculator endpoint": evaluates request input with eval (the review gate flags it). */
export const evalEndpointTask = acceptedAsIs({
  name: 'calculator',
  matches: (task) => /calculat/i.test(task),
  plan: ['Add src/calculate.js exporting calculate(request), which evaluates ?expression= and returns the result.'],
  files: ['src/calculate.js'],
  claim: 'The project has no calculator endpoint.',
  edits: () => [
    {
      kind: 'create',
      path: 'src/calculate.js',
      content:
        '/** Evaluates the arithmetic expression of a request, e.g. ?expression=1+2. */\nexport function calculate(request) {\n  return eval(request.query.expression);\n}\n',
    },
  ],
  marker: 'export function calculate',
});

/** The delivery-gate tasks, matched before the general ones. */
export const policyScriptedTasks: readonly ScriptedTask[] = [dotenvSecretTask, gplVendorTask, evalEndpointTask];
