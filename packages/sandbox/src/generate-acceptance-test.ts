import { dirname, posix } from 'node:path';
import type { AcceptanceSpec, AcceptanceTestFile, TestFramework } from '@orchestrator/spec';
import { acceptanceSpecSchema, UserError } from '@orchestrator/spec';
import {
  goLiteral,
  isGoComposite,
  javascriptLiteral,
  pythonLiteral,
  rustArgument,
  rustLiteral,
} from './value-literals.ts';

type Parsed = ReturnType<typeof acceptanceSpecSchema.parse>;

const header = 'Acceptance test written before the implementation (orchestrator test-writer).';

function importPath(fromFile: string, toFile: string): string {
  const relative = posix.relative(posix.dirname(fromFile), toFile);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function isTypeScript(path: string): boolean {
  return /\.(?:ts|mts|cts|tsx)$/.test(path);
}

function javascript(spec: Parsed, framework: 'node-test' | 'vitest' | 'jest'): AcceptanceTestFile {
  const name = spec.functionName;
  const extension = isTypeScript(spec.targetFile) ? '.ts' : framework === 'jest' ? '.js' : '.mjs';
  const path = spec.testFile ?? `test/${name}.acceptance.test${extension}`;
  const from = importPath(path, spec.targetFile);
  const calls = spec.examples.map(
    (example) => `(await target.${name}(${example.arguments.map(javascriptLiteral).join(', ')}))`,
  );
  const expectations = spec.examples.map((example) => javascriptLiteral(example.expected));
  const exists = `${spec.targetFile} must export a function named ${name}`;
  if (framework === 'node-test') {
    return {
      framework,
      path,
      content: [
        `// ${header}`,
        `import assert from 'node:assert/strict';`,
        `import { test } from 'node:test';`,
        `import * as target from ${javascriptLiteral(from)};`,
        '',
        `test(${javascriptLiteral(spec.description)}, async () => {`,
        `  assert.equal(typeof target.${name}, 'function', ${javascriptLiteral(exists)});`,
        ...calls.map((call, index) => `  assert.deepEqual(${call}, ${expectations[index]});`),
        '});',
        '',
      ].join('\n'),
    };
  }
  const preamble =
    framework === 'vitest'
      ? [`import { expect, test } from 'vitest';`, `import * as target from ${javascriptLiteral(from)};`]
      : [`const target = require(${javascriptLiteral(from)});`];
  return {
    framework,
    path,
    content: [
      `// ${header}`,
      ...preamble,
      '',
      `test(${javascriptLiteral(spec.description)}, async () => {`,
      `  expect(typeof target.${name}).toBe('function');`,
      ...calls.map((call, index) => `  expect(${call}).toEqual(${expectations[index]});`),
      '});',
      '',
    ].join('\n'),
  };
}

function pythonModule(targetFile: string): string {
  return targetFile
    .replace(/^src\//, '')
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .replaceAll('/', '.');
}

function python(spec: Parsed): AcceptanceTestFile {
  const name = spec.functionName;
  const path = spec.testFile ?? `tests/test_${name}_acceptance.py`;
  return {
    framework: 'pytest',
    path,
    content: [
      `# ${header}`,
      `from ${pythonModule(spec.targetFile)} import ${name}`,
      '',
      '',
      `def test_${name}_acceptance():`,
      `    """${spec.description.replaceAll('"""', "'''")}"""`,
      ...spec.examples.map(
        (example) =>
          `    assert ${name}(${example.arguments.map(pythonLiteral).join(', ')}) == ${pythonLiteral(example.expected)}`,
      ),
      '',
    ].join('\n'),
  };
}

function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function go(spec: Parsed): AcceptanceTestFile {
  const name = spec.functionName;
  const directory = dirname(spec.targetFile);
  const packageName = spec.goPackage ?? (directory === '.' ? 'main' : posix.basename(directory));
  const path = spec.testFile ?? posix.join(directory, `${name.toLowerCase()}_acceptance_test.go`);
  const composite = spec.examples.some((example) => isGoComposite(example.expected));
  const checks = spec.examples.flatMap((example) => {
    const call = `${name}(${example.arguments.map(goLiteral).join(', ')})`;
    const expected = goLiteral(example.expected);
    const differs = isGoComposite(example.expected) ? `!reflect.DeepEqual(got, ${expected})` : `got != ${expected}`;
    return [
      `\tif got := ${call}; ${differs} {`,
      `\t\tt.Errorf("${call.replaceAll('\\', '\\\\').replaceAll('"', '\\"')} = %v, want %v", got, ${expected})`,
      '\t}',
    ];
  });
  return {
    framework: 'go-test',
    path,
    content: [
      `// ${header}`,
      `package ${packageName}`,
      '',
      composite ? 'import (\n\t"reflect"\n\t"testing"\n)' : 'import "testing"',
      '',
      `// ${spec.description}`,
      `func Test${capitalised(name)}Acceptance(t *testing.T) {`,
      ...checks,
      '}',
      '',
    ].join('\n'),
  };
}

function rustModulePath(targetFile: string): string[] {
  const inside = targetFile.replace(/^src\//, '').replace(/\.rs$/, '');
  if (inside === 'lib' || inside === 'main') return [];
  return inside.replace(/\/mod$/, '').split('/');
}

function rust(spec: Parsed): AcceptanceTestFile {
  const name = spec.functionName;
  if (spec.crateName === undefined) {
    throw new UserError({
      code: 'acceptance-spec-unsupported',
      message: 'A cargo acceptance test needs the crate name.',
      hint: 'Set crateName in the acceptance spec (the package name from Cargo.toml).',
    });
  }
  const crate = spec.crateName.replaceAll('-', '_');
  const path = spec.testFile ?? `tests/${name}_acceptance.rs`;
  return {
    framework: 'cargo-test',
    path,
    content: [
      `// ${header}`,
      `use ${[crate, ...rustModulePath(spec.targetFile), name].join('::')};`,
      '',
      `/// ${spec.description}`,
      '#[test]',
      `fn ${name}_acceptance() {`,
      ...spec.examples.map(
        (example) =>
          `    assert_eq!(${name}(${example.arguments.map(rustArgument).join(', ')}), ${rustLiteral(example.expected)});`,
      ),
      '}',
      '',
    ].join('\n'),
  };
}

/**
 * Emits an acceptance test for a detected framework from the Test-writer's spec: it imports the target, asserts that
 * the function exists (JavaScript) and that each example returns its expected value. Throws `acceptance-spec-invalid`
 * for a malformed spec and `acceptance-spec-unsupported` for a framework or value it cannot express.
 */
export function generateAcceptanceTest(spec: AcceptanceSpec, framework: TestFramework): AcceptanceTestFile {
  const parsed = acceptanceSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new UserError({
      code: 'acceptance-spec-invalid',
      message: `The acceptance spec is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      hint: 'Give a description, a relative targetFile, an identifier functionName and at least one example.',
    });
  }
  switch (framework) {
    case 'node-test':
    case 'vitest':
    case 'jest':
      return javascript(parsed.data, framework);
    case 'pytest':
      return python(parsed.data);
    case 'go-test':
      return go(parsed.data);
    case 'cargo-test':
      return rust(parsed.data);
    default:
      throw new UserError({
        code: 'acceptance-spec-unsupported',
        message: `No acceptance-test template for ${framework}.`,
        hint: 'Supported: node-test, vitest, jest, pytest, go-test, cargo-test. For make or unknown runners, the Test-writer writes the test itself.',
      });
  }
}
