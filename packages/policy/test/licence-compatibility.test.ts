import { describe, expect, it } from 'vitest';
import { compatibilityDecision, licencesOfFamily } from '../src/licences/licence-catalogue.ts';
import { sources } from '../src/licences/licence-compatibility.ts';
import { licenceCompatibility } from '../src/licences/licence-expression.ts';

// The expected matrix, written from the sources (FSF licence list and GPL FAQ, ASF, MPL-2.0 §3.3, LGPL-2.1 §3,
// GPL-3.0 §13, EUPL-1.2 appendix, Creative Commons, OSD §6), not from the code. Rows: project licence; columns:
// incoming code. C compatible, R needs review, X incompatible.
const columns = [
  'MIT',
  'Apache-2.0',
  'BSD-4-Clause',
  'LGPL-2.1-only',
  'LGPL-3.0-or-later',
  'MPL-2.0',
  'MPL-2.0-no-copyleft-exception',
  'CDDL-1.0',
  'EPL-2.0',
  'CC-BY-SA-4.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'AGPL-3.0-only',
  'EUPL-1.2',
  'CC-BY-NC-3.0',
];
const matrix: Record<string, string> = {
  MIT: 'C C C R R R R R R R X X X X X X',
  'Apache-2.0': 'C C C R R R R R R R X X X X X X',
  'MPL-2.0': 'C C C R R C R R R R X X X X X X',
  'LGPL-2.1-only': 'C X X C R R R R R R X X X X X X',
  'GPL-2.0-only': 'C X X C X C X X R X C C X X C X',
  'GPL-2.0-or-later': 'C C X C C C X X R X C C C R C X',
  'GPL-3.0-only': 'C C X C C C X X R C X C C R C X',
  'GPL-3.0-or-later': 'C C X C C C X X R C X C C R C X',
  'AGPL-3.0-only': 'C C X C C C X X R C X C C C C X',
};
const meaning = { C: 'compatible', R: 'needs-review', X: 'incompatible' } as const;

describe('licence compatibility matrix', () => {
  for (const [project, row] of Object.entries(matrix)) {
    it(`decides every cell of the ${project} row as the sources do`, () => {
      const expected = row.split(' ').map((cell) => meaning[cell as keyof typeof meaning]);
      const actual = columns.map((incoming) => compatibilityDecision(project, incoming).compatibility);
      expect(Object.fromEntries(columns.map((incoming, index) => [incoming, actual[index]]))).toEqual(
        Object.fromEntries(columns.map((incoming, index) => [incoming, expected[index]])),
      );
    });
  }

  it('gives every pair of catalogue licences a decision with a reason and a cited source', () => {
    const ids = (['permissive', 'weak-copyleft', 'strong-copyleft', 'network-copyleft', 'restricted'] as const).flatMap(
      (family) => [...licencesOfFamily(family)],
    );
    const cited = new Set<string>(Object.values(sources));
    let cells = 0;
    for (const project of ids) {
      for (const incoming of ids) {
        const decision = compatibilityDecision(project, incoming);
        expect(decision.reason.length, `${incoming} into ${project}`).toBeGreaterThan(5);
        expect(cited.has(decision.source), `${incoming} into ${project}`).toBe(true);
        if (project === incoming) expect(decision.compatibility).toBe('compatible');
        else if (licencesOfFamily('restricted').includes(incoming)) expect(decision.compatibility).toBe('incompatible');
        cells += 1;
      }
    }
    expect(cells).toBe(ids.length * ids.length);
  });

  it('fixes the pairs the outside measurement found wrong', () => {
    expect(licenceCompatibility('GPL-2.0-only', 'CDDL-1.0')).toBe('incompatible');
    expect(licenceCompatibility('GPL-3.0-only', 'MPL-1.1')).toBe('incompatible');
    expect(licenceCompatibility('GPL-3.0-only', 'EPL-1.0')).toBe('incompatible');
    expect(licenceCompatibility('GPL-2.0-or-later', 'GPL-3.0-only')).toBe('compatible');
    expect(licenceCompatibility('AGPL-3.0-only', 'GPL-2.0+')).toBe('compatible');
    expect(licenceCompatibility('MIT', 'CC-BY-NC-3.0')).toBe('incompatible');
    expect(licenceCompatibility('Apache-2.0', 'CC-BY-ND-4.0')).toBe('incompatible');
  });
});
