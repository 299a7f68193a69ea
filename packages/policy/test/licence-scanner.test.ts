import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { idCompatibility } from '../src/licences/licence-catalogue.ts';
import { licenceCompatibility } from '../src/licences/licence-expression.ts';
import { scanLicences } from '../src/licences/licence-scanner.ts';
import { identifyLicenceText } from '../src/licences/licence-texts.ts';
import { targetFromFile, targetsFromDiff } from '../src/scan-target.ts';
import { newFileDiff } from './fake-secrets.ts';

const require = createRequire(import.meta.url);
const texts = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const text = (id: string) => texts[id]!.licenseText;

describe('licence texts', () => {
  it('identifies full licence texts by SPDX id', () => {
    for (const id of ['MIT', 'Apache-2.0', 'GPL-3.0-only', 'AGPL-3.0-only', 'BSD-3-Clause', 'MPL-2.0', 'ISC']) {
      expect(identifyLicenceText(text(id))?.id).toBe(id);
    }
  });

  it('does not call a README that mentions a licence a licence text', () => {
    expect(identifyLicenceText('# app\n\nReleased under the MIT License. See LICENSE for details.\n')).toBeUndefined();
  });
});

describe('licence compatibility', () => {
  it('follows the usual rules', () => {
    expect(idCompatibility('MIT', 'Apache-2.0')).toBe('compatible');
    expect(idCompatibility('MIT', 'GPL-3.0-only')).toBe('incompatible');
    expect(idCompatibility('MIT', 'MPL-2.0')).toBe('needs-review');
    expect(idCompatibility('GPL-3.0-or-later', 'Apache-2.0')).toBe('compatible');
    expect(idCompatibility('GPL-2.0-only', 'Apache-2.0')).toBe('incompatible');
    expect(idCompatibility('Apache-2.0', 'BUSL-1.1')).toBe('incompatible');
  });

  it('evaluates SPDX expressions: OR picks the better option, AND the worse', () => {
    expect(licenceCompatibility('MIT', 'MIT OR GPL-3.0-only')).toBe('compatible');
    expect(licenceCompatibility('MIT', 'MIT AND GPL-3.0-only')).toBe('incompatible');
    expect(licenceCompatibility('MIT', 'GPL-3.0')).toBe('incompatible'); // deprecated id still understood
    expect(licenceCompatibility('MIT', 'GPL-3.0-only', ['GPL-3.0-only'])).toBe('compatible'); // policy allow list
  });
});

describe('licence scanner', () => {
  const mit = { projectLicence: 'MIT' };

  it('fails a GPL-3.0 licence file added to an MIT project, with an actionable finding', () => {
    const findings = scanLicences(targetsFromDiff(newFileDiff('vendor/lib/COPYING', text('GPL-3.0-only'))), mit);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'licence.incompatible',
      severity: 'high',
      path: 'vendor/lib/COPYING',
      line: 1,
    });
    expect(findings[0]?.message).toContain('GPL-3.0-only');
    expect(findings[0]?.fix).toMatch(/Remove|allowlist/);
  });

  it('accepts permissive licence texts in an MIT project', () => {
    expect(scanLicences([targetFromFile('vendor/x/LICENSE', text('BSD-3-Clause'))], mit)).toEqual([]);
    expect(scanLicences([targetFromFile('vendor/y/LICENSE', text('Apache-2.0'))], mit)).toEqual([]);
  });

  it('reads GNU notices and SPDX headers in source files', () => {
    const notice = `/*\n * This program is free software: you can redistribute it and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free Software Foundation, either version 3 of the License, or\n * (at your option) any later version.\n */\nint main() {}`;
    const [finding] = scanLicences([targetFromFile('src/gpl.c', notice)], mit);
    expect(finding).toMatchObject({ ruleId: 'licence.incompatible', line: 3 });
    expect(finding?.message).toContain('GPL-3.0-or-later');
    expect(
      scanLicences([targetFromFile('src/a.ts', '// SPDX-License-Identifier: AGPL-3.0-only\n')], mit)[0]?.ruleId,
    ).toBe('licence.incompatible');
    expect(scanLicences([targetFromFile('src/b.ts', '// SPDX-License-Identifier: MIT OR Apache-2.0\n')], mit)).toEqual(
      [],
    );
    expect(scanLicences([targetFromFile('src/c.ts', '// SPDX-License-Identifier: MPL-2.0\n')], mit)[0]?.ruleId).toBe(
      'licence.needs-review',
    );
  });

  it('checks the licences of dependencies added to package.json, from their manifests', () => {
    const diff = [
      'diff --git a/package.json b/package.json',
      '--- a/package.json',
      '+++ b/package.json',
      '@@ -3,3 +3,5 @@',
      '   "dependencies": {',
      '+    "gpl-thing": "^1.0.0",',
      '+    "left-pad": "^1.3.0",',
      '     "zod": "^4.0.0"',
      '   }',
      '',
    ].join('\n');
    const licences: Record<string, string> = { 'gpl-thing': 'GPL-3.0-or-later', 'left-pad': 'WTFPL' };
    const findings = scanLicences(targetsFromDiff(diff), {
      ...mit,
      resolveDependencyLicence: (name) => licences[name],
    });
    expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([['licence.incompatible', 4]]);
    expect(findings[0]?.message).toContain('gpl-thing');
  });

  it('treats vendored package manifests as dependencies', () => {
    const manifest = '{\n  "name": "copyleft",\n  "version": "1.0.0",\n  "license": "AGPL-3.0-only"\n}';
    expect(scanLicences([targetFromFile('node_modules/copyleft/package.json', manifest)], mit)[0]?.ruleId).toBe(
      'licence.incompatible',
    );
    expect(scanLicences([targetFromFile('package.json', manifest)], mit)).toEqual([]);
  });
});

describe('licence notices: look-alikes', () => {
  it('ignores text that only names the GPL without granting it', () => {
    const mention = 'Recognises the GNU General Public License notice (version 3, or any later version) in headers.';
    expect(scanLicences([targetFromFile('src/notice.ts', mention)], { projectLicence: 'MIT' })).toEqual([]);
  });
});
