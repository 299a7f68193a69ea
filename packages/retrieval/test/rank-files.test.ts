import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoryIndex } from '../src/repository-index.ts';
import { issueMentions } from '../src/search/issue-mentions.ts';
import { asideKind } from '../src/search/rank-files.ts';
import { fixtureRepository } from './fixture-repository.ts';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const padding = (word: string) =>
  Array.from({ length: 6 }, (_, line) => `# ${word} printing output value ${line}`).join('\n');
const sources = {
  'pkg/printing/latex.py': `class LatexPrinter:\n    def _print_Matrix(self, expr):\n        return expr\n`,
  'pkg/printing/pretty.py': `${padding('pretty')}\nclass PrettyPrinter:\n    def doprint(self, expr):\n        return 'printing output value'\n`,
  'pkg/core/basic.py': 'class Basic:\n    def atoms(self):\n        return set()\n',
  'tests/test_latex.py': `${padding('latex')}\ndef test_latex_matrix():\n    assert latex(Matrix()) == 'printing output value'\n`,
  'docs/printing.rst': `Printing\n========\n\n${padding('printing')}\n`,
};

const sourceOnly = Object.fromEntries(Object.entries(sources).filter(([path]) => path.startsWith('pkg/')));

function openIndex(files: Record<string, string> = sources) {
  const repository = fixtureRepository(files);
  const index = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.index.sqlite') });
  cleanup = () => {
    index.close();
    repository.remove();
  };
  return index;
}

describe('rankFiles', () => {
  it('puts the file defining what the issue names before files that only share its words', async () => {
    const index = openIndex(sourceOnly);
    await index.update();
    const ranked = index.rankFiles('printing output value is wrong for a matrix print: `_print_Matrix`');
    expect(ranked[0]?.path).toBe('pkg/printing/latex.py');
    expect(ranked[0]?.reasons).toContain('defines _print_Matrix');
  });

  it('matches stack-trace frames and module paths to files', async () => {
    const index = openIndex(sourceOnly);
    await index.update();
    const trace =
      'Traceback:\n  File "/usr/lib/python3/site-packages/pkg/core/basic.py", line 3, in <module>\nprinting output value core matrix';
    expect(index.rankFiles(trace)[0]?.path).toBe('pkg/core/basic.py');
    expect(index.rankFiles('pkg.core.basic: printing output value matrix print')[0]?.path).toBe('pkg/core/basic.py');
  });

  it('sets tests and docs apart from source unless the task is about them', async () => {
    const index = openIndex();
    await index.update();
    const paths = index.rankFiles('printing output value').map((file) => file.path);
    expect(paths.indexOf('pkg/printing/pretty.py')).toBeLessThan(paths.indexOf('tests/test_latex.py'));
    expect(paths.indexOf('pkg/printing/pretty.py')).toBeLessThan(paths.indexOf('docs/printing.rst'));
    expect(index.rankFiles('fix the docs: printing output value')[0]?.path).toBe('docs/printing.rst');
    expect(asideKind('src/_pytest/python.py')).toBeUndefined();
    expect(asideKind('testing/test_python.py')).toBe('test');
  });

  it('extracts paths, dotted names and code identifiers from an issue', () => {
    const mentions = issueMentions('In sympy/core/basic.py, `Basic.atoms()` calls my_helper and sympy.printing.latex');
    expect(mentions.paths).toEqual(['sympy/core/basic.py']);
    expect(mentions.dotted).toContainEqual(['sympy', 'printing', 'latex']);
    expect(mentions.identifiers).toEqual(expect.arrayContaining(['atoms', 'my_helper', 'Basic']));
  });
});
