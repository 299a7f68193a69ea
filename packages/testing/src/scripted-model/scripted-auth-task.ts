import type { FileEdit } from '@orchestrator/spec';
import type { RepositoryView, ScriptedTask } from './scripted-tasks.ts';

/**
 * "update src/auth.ts per policy": the phase 6 task. The security policy asks for salted scrypt hashes compared in
 * constant time; the sample `src/auth.ts` stores plain SHA-256. The Builder rewrites the import and both functions, and
 * cites the chunks of `src/auth.ts` it changes and the policy section it follows.
 */

const oldImport = "import { createHash } from 'node:crypto';";
const newImport = "import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';";
const oldHash = [
  '/** Hashes a password for storage. */',
  'export function hashPassword(password: string): string {',
  "  return createHash('sha256').update(password).digest('hex');",
  '}',
].join('\n');
const newHash = [
  '/** Hashes a password for storage: scrypt with a random per-user salt, stored as `salt:hash` (security policy). */',
  'export function hashPassword(password: string): string {',
  "  const salt = randomBytes(16).toString('hex');",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of the TypeScript source the Builder writes
  "  return `${salt}:${scryptSync(password, salt, 64).toString('hex')}`;",
  '}',
].join('\n');
const oldVerify = [
  '/** Checks a login attempt against the stored hash. */',
  'export function verifyLogin(storedHash: string, attempt: string): boolean {',
  '  return storedHash === hashPassword(attempt);',
  '}',
].join('\n');
const verifyHead = [
  '/** Checks a login attempt against the stored `salt:hash`, comparing in constant time (security policy). */',
  'export function verifyLogin(storedHash: string, attempt: string): boolean {',
  "  const [salt = '', hash = ''] = storedHash.split(':');",
].join('\n');
const constantTimeCompare = [
  "  const expected = Buffer.from(hash, 'hex');",
  '  const actual = scryptSync(attempt, salt, 64);',
  '  return expected.length === actual.length && timingSafeEqual(expected, actual);',
].join('\n');
const plainCompare = "  return hash === scryptSync(attempt, salt, 64).toString('hex');";
const newVerify = (compare: string) => `${verifyHead}\n${compare}\n}`;

function authEdits(view: RepositoryView, compare: string): FileEdit[] {
  const current = view.read('src/auth.ts');
  if (current !== undefined && [oldImport, oldHash, oldVerify].every((part) => current.includes(part))) {
    return [
      { kind: 'search-replace', path: 'src/auth.ts', search: oldImport, replace: newImport },
      { kind: 'search-replace', path: 'src/auth.ts', search: oldHash, replace: newHash },
      { kind: 'search-replace', path: 'src/auth.ts', search: oldVerify, replace: newVerify(compare) },
    ];
  }
  return [
    {
      kind: 'create',
      path: 'src/auth.ts',
      content: `${newImport}\n\n${newHash}\n\n${newVerify(compare)}\n`,
      overwrite: true,
    },
  ];
}

const acceptanceTest = `import assert from 'node:assert/strict';\nimport { readFileSync } from 'node:fs';\nimport { test } from 'node:test';\n\ntest('src/auth.ts hashes with salted scrypt and compares in constant time', () => {\n  const source = readFileSync('src/auth.ts', 'utf8');\n  assert.ok(source.includes('scryptSync') && source.includes('timingSafeEqual'));\n  assert.ok(!source.includes("createHash('sha256')"));\n});\n`;

export const authPolicyTask: ScriptedTask = {
  name: 'auth-policy',
  matches: (task) => /\bauth\b|auth\.ts/i.test(task) && /polic/i.test(task),
  plan: [
    'In src/auth.ts, hash passwords with scrypt and a random per-user salt stored as salt:hash, as the security policy requires.',
    'In src/auth.ts, make verifyLogin recompute the hash with the stored salt and compare in constant time.',
  ],
  files: ['src/auth.ts'],
  claim: 'src/auth.ts stores unsalted SHA-256 password hashes, which the security policy forbids.',
  edits: (view) => authEdits(view, constantTimeCompare),
  buggyEdits: (view) => authEdits(view, plainCompare),
  hasBug: (diff) => /^\+.*hash === scryptSync/m.test(diff),
  risk: {
    id: 'auth-timing-unsafe-compare',
    severity: 'high',
    description: 'verifyLogin compares the hashes with ===, which leaks timing; the policy requires constant time.',
    fix: 'In src/auth.ts verifyLogin, compare Buffer.from(hash, "hex") with the scrypt output using timingSafeEqual.',
  },
  fix: () => [{ kind: 'search-replace', path: 'src/auth.ts', search: plainCompare, replace: constantTimeCompare }],
  acceptanceEdits: () => [
    { kind: 'create', path: 'test/auth-policy.acceptance.test.mjs', content: acceptanceTest, overwrite: true },
  ],
  references: { path: /polic/i, lines: /password|hash|salt/i },
};
