import { OrchestratorError } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { generateAcceptanceTest } from './generate-acceptance-test.ts';

const spec = {
  description: 'clamp keeps a number within bounds',
  targetFile: 'src/math/clamp.ts',
  functionName: 'clamp',
  examples: [
    { arguments: [5, 0, 3], expected: 3 },
    { arguments: [-1, 0, 3], expected: 0 },
  ],
};

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return OrchestratorError.isInstance(error) ? error.code : 'not-an-orchestrator-error';
  }
  return undefined;
}

describe('generateAcceptanceTest', () => {
  it('writes a vitest test next to the sources with a relative import', () => {
    const test = generateAcceptanceTest(spec, 'vitest');
    expect(test.path).toBe('test/clamp.acceptance.test.ts');
    expect(test.content).toContain(`import * as target from "../src/math/clamp.ts";`);
    expect(test.content).toContain(`expect(typeof target.clamp).toBe('function');`);
    expect(test.content).toContain('expect((await target.clamp(5, 0, 3))).toEqual(3);');
  });

  it('writes a CommonJS jest test for JavaScript targets', () => {
    const test = generateAcceptanceTest({ ...spec, targetFile: 'lib/clamp.js' }, 'jest');
    expect(test.path).toBe('test/clamp.acceptance.test.js');
    expect(test.content).toContain(`const target = require("../lib/clamp.js");`);
  });

  it('writes a Go test in the package of the target, comparing slices deeply', () => {
    const test = generateAcceptanceTest(
      {
        ...spec,
        targetFile: 'internal/text/words.go',
        functionName: 'Words',
        examples: [{ arguments: ['a b'], expected: ['a', 'b'] }],
      },
      'go-test',
    );
    expect(test.path).toBe('internal/text/words_acceptance_test.go');
    expect(test.content).toContain('package text');
    expect(test.content).toContain('if got := Words("a b"); !reflect.DeepEqual(got, []string{"a", "b"}) {');
  });

  it('writes Python and Rust literals', () => {
    const python = generateAcceptanceTest(
      { ...spec, targetFile: 'src/pkg/util.py', examples: [{ arguments: [null, true], expected: { a: [1] } }] },
      'pytest',
    );
    expect(python.content).toContain('from pkg.util import clamp');
    expect(python.content).toContain('assert clamp(None, True) == {"a": [1]}');
    const rust = generateAcceptanceTest(
      {
        ...spec,
        targetFile: 'src/text/mod.rs',
        crateName: 'my-crate',
        examples: [{ arguments: ['a\tb'], expected: ['a', 'b'] }],
      },
      'cargo-test',
    );
    expect(rust.content).toContain('use my_crate::text::clamp;');
    expect(rust.content).toContain('assert_eq!(clamp("a\\tb".into()), vec!["a", "b"]);');
  });

  it('refuses malformed specs and values a language cannot express', () => {
    expect(errorCode(() => generateAcceptanceTest({ ...spec, targetFile: '../outside.js' }, 'node-test'))).toBe(
      'acceptance-spec-invalid',
    );
    expect(errorCode(() => generateAcceptanceTest({ ...spec, examples: [] }, 'node-test'))).toBe(
      'acceptance-spec-invalid',
    );
    expect(
      errorCode(() =>
        generateAcceptanceTest({ ...spec, examples: [{ arguments: [[1, 'a']], expected: 1 }] }, 'go-test'),
      ),
    ).toBe('acceptance-spec-unsupported');
    expect(errorCode(() => generateAcceptanceTest(spec, 'cargo-test'))).toBe('acceptance-spec-unsupported');
    expect(errorCode(() => generateAcceptanceTest(spec, 'make'))).toBe('acceptance-spec-unsupported');
  });
});
