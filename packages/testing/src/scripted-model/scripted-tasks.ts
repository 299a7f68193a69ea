import type { AcceptanceSpec, FileEdit, Risk } from '@orchestrator/spec';
import { authPolicyTask } from './scripted-auth-task.ts';
import type { ChunkReferences } from './scripted-citations.ts';
import { policyScriptedTasks } from './scripted-policy-tasks.ts';

/** What the scripted model can see of the repository: the file list and the files quoted in the prompt. */
export interface RepositoryView {
  files: readonly string[];
  read(path: string): string | undefined;
}

/** A task the scripted model knows how to play, with a planted bug, how the Critic spots it and its fix. */
export interface ScriptedTask {
  name: string;
  matches(task: string): boolean;
  plan: readonly string[];
  files: readonly string[];
  claim: string;
  edits(view: RepositoryView): FileEdit[];
  buggyEdits(view: RepositoryView): FileEdit[];
  /** True when the diff still contains the planted bug. */
  hasBug(diff: string): boolean;
  risk: Risk;
  fix(view: RepositoryView): FileEdit[];
  /** The Test-writer's acceptance test: a spec rendered for the framework (function tasks)… */
  acceptance?: AcceptanceSpec;
  /**
   * …or a node:test file checking the planned file (documentation tasks, asked only when the plan is not docs only);
   * defaults to `fileAcceptanceTest(name, files[0], '')`.
   */
  acceptanceEdits?(): FileEdit[];
  /** Documents the change follows: the Builder cites their retrieved chunks (phase 6) besides the code it changes. */
  references?: ChunkReferences;
}

/** A node:test acceptance test that fails on an assertion until `path` exists and contains `marker`. */
export function fileAcceptanceTest(name: string, path: string, marker: string): FileEdit[] {
  const content = `import assert from 'node:assert/strict';\nimport { existsSync, readFileSync } from 'node:fs';\nimport { test } from 'node:test';\n\ntest(${JSON.stringify(`${path} contains ${marker}`)}, () => {\n  assert.ok(existsSync(${JSON.stringify(path)}), ${JSON.stringify(`${path} is missing`)});\n  assert.ok(readFileSync(${JSON.stringify(path)}, 'utf8').includes(${JSON.stringify(marker)}));\n});\n`;
  return [{ kind: 'create', path: `test/${name}.acceptance.test.mjs`, content, overwrite: true }];
}

const usageSection = (testCommand: string) =>
  `## Usage\n\nInstall the dependencies, then run the tests:\n\n\`\`\`sh\nnpm install\n${testCommand}\n\`\`\`\n`;

function readmeEdits(view: RepositoryView, section: string): FileEdit[] {
  const current = view.read('README.md');
  if (current === undefined) {
    return [{ kind: 'create', path: 'README.md', content: `# Project\n\n${section}` }];
  }
  return [
    { kind: 'search-replace', path: 'README.md', search: current, replace: `${current.trimEnd()}\n\n${section}` },
  ];
}

const readmeTask: ScriptedTask = {
  name: 'readme',
  matches: (task) => /readme/i.test(task),
  plan: ['Append a "Usage" section to README.md with the install and test commands.'],
  files: ['README.md'],
  claim: 'README.md does not tell users how to install and test the project.',
  edits: (view) => readmeEdits(view, usageSection('npm test')),
  buggyEdits: (view) => readmeEdits(view, usageSection('npm tset')),
  hasBug: (diff) => /^\+.*npm tset/m.test(diff),
  risk: {
    id: 'readme-wrong-command',
    severity: 'high',
    description: 'The new Usage section tells users to run `npm tset`, a command that does not exist.',
    fix: 'In README.md, replace `npm tset` with `npm test`.',
  },
  fix: () => [{ kind: 'search-replace', path: 'README.md', search: 'npm tset', replace: 'npm test' }],
  acceptanceEdits: () => fileAcceptanceTest('readme-usage', 'README.md', '## Usage'),
};

const mitGrant = (holder: string) =>
  `MIT License\n\nCopyright (c) ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n`;
const mitDisclaimer = `\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n`;

function holderOf(view: RepositoryView): string {
  try {
    const name = (JSON.parse(view.read('package.json') ?? '{}') as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? `the ${name} authors` : 'the project authors';
  } catch {
    return 'the project authors';
  }
}

const licenseTask: ScriptedTask = {
  name: 'license',
  matches: (task) => /licen[cs]e/i.test(task),
  plan: ['Create LICENSE with the MIT license text, naming the project authors.'],
  files: ['LICENSE'],
  claim: 'The repository has no LICENSE file, so nobody may legally reuse it.',
  edits: (view) => [{ kind: 'create', path: 'LICENSE', content: mitGrant(holderOf(view)) + mitDisclaimer }],
  buggyEdits: (view) => [{ kind: 'create', path: 'LICENSE', content: mitGrant(holderOf(view)) }],
  hasBug: (diff) => /^\+\+\+ b\/LICENSE/m.test(diff) && !diff.includes('WITHOUT WARRANTY OF ANY KIND'),
  risk: {
    id: 'license-missing-disclaimer',
    severity: 'high',
    description: 'LICENSE omits the MIT warranty disclaimer, which leaves the authors exposed to liability claims.',
    fix: 'Append the standard MIT disclaimer paragraph (THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY …) to LICENSE.',
  },
  fix: () => [
    {
      kind: 'search-replace',
      path: 'LICENSE',
      search: 'copies or substantial portions of the Software.\n',
      replace: `copies or substantial portions of the Software.\n${mitDisclaimer}`,
    },
  ],
  acceptanceEdits: () => fileAcceptanceTest('license', 'LICENSE', 'WITHOUT WARRANTY OF ANY KIND'),
};

const slugifySource = (lowerCase: boolean) =>
  `/** Turns a title into a URL slug: lower-case words joined by single dashes. */\nexport function slugify(title) {\n  return title\n${lowerCase ? '    .toLowerCase()\n' : ''}    .trim()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');\n}\n`;
const slugifyTest = `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { slugify } from '../src/slugify.js';\n\ntest('slugify lower-cases words and joins them with single dashes', () => {\n  assert.equal(slugify('Hello World'), 'hello-world');\n  assert.equal(slugify('  Many   spaces -- here '), 'many-spaces-here');\n});\n\ntest('slugify of an empty title is empty', () => {\n  assert.equal(slugify(''), '');\n});\n`;

const functionTask: ScriptedTask = {
  name: 'function',
  matches: (task) => /function|test/i.test(task),
  plan: [
    'Add src/slugify.js exporting slugify(title).',
    'Add test/slugify.test.js covering case, spacing and empty input.',
  ],
  files: ['src/slugify.js', 'test/slugify.test.js'],
  claim: 'The project has no helper to turn titles into URL slugs.',
  edits: () => [
    { kind: 'create', path: 'src/slugify.js', content: slugifySource(true) },
    { kind: 'create', path: 'test/slugify.test.js', content: slugifyTest },
  ],
  buggyEdits: () => [
    { kind: 'create', path: 'src/slugify.js', content: slugifySource(false) },
    { kind: 'create', path: 'test/slugify.test.js', content: slugifyTest },
  ],
  hasBug: (diff) => /^\+\+\+ b\/src\/slugify\.js/m.test(diff) && !/^\+.*\.toLowerCase\(\)/m.test(diff),
  risk: {
    id: 'slugify-no-lowercase',
    severity: 'high',
    description:
      "slugify never lower-cases its input, so [^a-z0-9] strips capitals: slugify('Hello World') returns 'ello-orld'.",
    fix: 'In src/slugify.js, call .toLowerCase() on the title before .trim() and the replacements.',
  },
  fix: () => [
    {
      kind: 'search-replace',
      path: 'src/slugify.js',
      search: '  return title\n    .trim()',
      replace: '  return title\n    .toLowerCase()\n    .trim()',
    },
  ],
  acceptance: {
    description: 'slugify lower-cases words and joins them with single dashes',
    targetFile: 'src/slugify.js',
    functionName: 'slugify',
    examples: [
      { arguments: ['Hello World'], expected: 'hello-world' },
      { arguments: ['  Many   spaces -- here '], expected: 'many-spaces-here' },
      { arguments: [''], expected: '' },
    ],
  },
  acceptanceEdits: () => [],
};

function genericTask(task: string): ScriptedTask {
  const slug =
    task
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'task';
  const path = `docs/notes/${slug}.md`;
  return {
    name: 'generic',
    matches: () => true,
    plan: [`Record the task in ${path} (the scripted model knows no better way to do it).`],
    files: [path],
    claim: 'The scripted model only knows README, LICENSE and function tasks; it records other tasks as a note.',
    edits: () => [{ kind: 'create', path, content: `# ${task}\n\nRecorded by the scripted model.\n` }],
    buggyEdits: () => [{ kind: 'create', path, content: `# ${task}\n\nTODO\n` }],
    hasBug: (diff) => /^\+TODO$/m.test(diff),
    risk: {
      id: 'note-todo',
      severity: 'high',
      description: `${path} is a bare TODO.`,
      fix: `Replace TODO in ${path}.`,
    },
    fix: () => [{ kind: 'search-replace', path, search: 'TODO\n', replace: 'Recorded by the scripted model.\n' }],
    acceptanceEdits: () => fileAcceptanceTest(`note-${slug}`.slice(0, 60), path, 'Recorded by the scripted model.'),
  };
}

const knownTasks = (): ScriptedTask[] => [
  ...policyScriptedTasks,
  authPolicyTask,
  readmeTask,
  licenseTask,
  functionTask,
];

/**
 * The script for a task: README section, LICENSE file, function with its test, the policy tasks, or — for tests that
 * drive the double with any other text — a generic note. The product never reaches the note: with no key, `run`
 * refuses a task `scriptedModelPlays` does not know (see `scriptedRepertoire`).
 */
export function scriptedTaskFor(task: string): ScriptedTask {
  return knownTasks().find((candidate) => candidate.matches(task)) ?? genericTask(task);
}

/** True when the offline scripted model has a script for the task (anything else would be a placeholder change). */
export function scriptedModelPlays(task: string): boolean {
  return knownTasks().some((candidate) => candidate.matches(task));
}

/** The tasks the offline scripted model plays, as a user would type them: what the no-key refusal lists. */
export const scriptedRepertoire: readonly string[] = [
  'add a README section',
  'add a LICENSE file',
  'add a function with its test',
  'update src/auth.ts per policy',
  'add a calculator (a planted eval for the review gate)',
  'add the API key to .env (a secret for the policy gate)',
  'vendor a GPL-3.0 file (a licence for the policy gate)',
];
