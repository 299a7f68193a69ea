import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectProjectLicence } from '../src/licences/project-licence.ts';

const require = createRequire(import.meta.url);
const texts = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const made: string[] = [];
afterAll(() => {
  for (const directory of made) rmSync(directory, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'policy-project-licence-'));
  made.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

describe('project licence', () => {
  it('is read from licence files of any case and extension', () => {
    expect(detectProjectLicence(project({ 'License.md': texts.MIT!.licenseText }))).toBe('MIT');
    expect(detectProjectLicence(project({ 'LICENSE_1_0.txt': texts['BSL-1.0']!.licenseText }))).toBe('BSL-1.0');
    expect(detectProjectLicence(project({ 'licence.txt': texts['Apache-2.0']!.licenseText }))).toBe('Apache-2.0');
    expect(detectProjectLicence(project({ COPYING: texts['GPL-3.0-only']!.licenseText }))).toBe('GPL-3.0-only');
  });

  it('reads dual-licence files, REUSE LICENSES/ folders and non-npm manifests', () => {
    const dual = project({ 'LICENSE-MIT': texts.MIT!.licenseText, 'LICENSE-APACHE': texts['Apache-2.0']!.licenseText });
    expect(detectProjectLicence(dual)).toBe('MIT OR Apache-2.0');
    expect(detectProjectLicence(project({ 'LICENSES/MIT.txt': 'x', 'LICENSES/CC0-1.0.txt': 'y' }))).toBe(
      'CC0-1.0 AND MIT',
    );
    expect(
      detectProjectLicence(project({ 'Cargo.toml': '[package]\nname = "x"\nlicense = "MIT OR Apache-2.0"\n' })),
    ).toBe('MIT OR Apache-2.0');
    expect(
      detectProjectLicence(project({ 'pyproject.toml': '[project]\nlicense = { text = "BSD-3-Clause" }\n' })),
    ).toBe('BSD-3-Clause');
    expect(detectProjectLicence(project({ 'composer.json': '{ "license": ["MIT", "GPL-2.0-or-later"] }' }))).toBe(
      '(MIT OR GPL-2.0-or-later)',
    );
    expect(detectProjectLicence(project({ 'README.md': '# x' }))).toBeUndefined();
  });
});
