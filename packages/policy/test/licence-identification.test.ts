import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { licenceFamily } from '../src/licences/licence-catalogue.ts';
import { identifyLicenceNotice } from '../src/licences/licence-notices.ts';
import { scanLicences } from '../src/licences/licence-scanner.ts';
import { addedRestriction, identifyGnuNotice, identifyLicenceText } from '../src/licences/licence-texts.ts';
import { targetFromFile } from '../src/scan-target.ts';

const require = createRequire(import.meta.url);
const texts = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Wraps text at `width` and puts it in a comment of the given style, as source files carry headers. */
function inComment(text: string, style: 'c' | 'slashes' | 'hash' | 'html', width = 64): string {
  const lines: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line, '');
  }
  if (style === 'c') return ['/*', ...lines.map((line) => ` * ${line}`), ' */'].join('\n');
  if (style === 'html') return ['<!--', ...lines, '-->'].join('\n');
  const marker = style === 'hash' ? '#' : '//';
  return lines.map((line) => `${marker} ${line}`).join('\n');
}

const gnu = (kind: string, version: string, later: boolean) =>
  `This program is free software: you can redistribute it and/or modify it under the terms of the GNU ${kind} as published by the Free Software Foundation, ${later ? `either version ${version} of the License, or (at your option) any later version` : `version ${version} of the License`}.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.`;

// Standard headers, as the licences' own texts (their "How to apply" appendices) and SPDX's standardLicenseHeader give them.
const headers: Record<string, string> = {
  'GPL-2.0-only': gnu('General Public License', '2', false),
  'GPL-2.0-or-later': gnu('General Public License', '2', true),
  'GPL-3.0-only': gnu('General Public License', '3', false),
  'GPL-3.0-or-later': gnu('General Public License', '3', true),
  'LGPL-2.1-or-later': gnu('Lesser General Public License', '2.1', true),
  'LGPL-3.0-or-later': gnu('Lesser General Public License', '3', true),
  'AGPL-3.0-or-later': gnu('Affero General Public License', '3', true),
  'Apache-2.0':
    'Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in compliance with the License. You may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n\nUnless required by applicable law or agreed to in writing, software distributed under the License is distributed on an "AS IS" BASIS.',
  'MPL-2.0':
    'This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain one at http://mozilla.org/MPL/2.0/.',
  'EPL-2.0':
    'This program and the accompanying materials are made available under the terms of the Eclipse Public License v. 2.0 which is available at http://www.eclipse.org/legal/epl-2.0.',
};
const styles = ['c', 'slashes', 'hash', 'html'] as const;

describe('licence identification', () => {
  it('identifies standard headers in any comment style and line wrap (>= 90 %)', () => {
    let found = 0;
    let total = 0;
    for (const [id, header] of Object.entries(headers)) {
      for (const style of styles) {
        const text = `${inComment(`Copyright 2024 Acme Corp.\n\n${header}`, style)}\n\nint main(void) { return 0; }\n`;
        total += 1;
        if ((identifyGnuNotice(text) ?? identifyLicenceNotice(text)) === id) found += 1;
      }
    }
    expect(found / total).toBeGreaterThanOrEqual(0.9);
  });

  it('identifies the full texts of the catalogue, also inside comments (>= 95 %)', () => {
    // One text, several ids: "-only" and "-or-later" (and the deprecated ids) differ by the notice, never by the
    // licence text (SPDX matching guidelines); SPDX's MPL-2.0-no-copyleft-exception text is MPL-2.0's.
    const textOf = (id: string) =>
      id === 'MPL-2.0-no-copyleft-exception'
        ? 'MPL-2.0'
        : id.replace(/-or-later$|\+$/, '-only').replace(/^((?:A|L)?GPL-\d\.\d)$/, '$1-only');
    const ids = Object.keys(texts).filter(
      (id) => licenceFamily(id) !== undefined && licenceFamily(id) !== 'restricted',
    );
    let found = 0;
    const missed: string[] = [];
    for (const [index, id] of ids.entries()) {
      const style = styles[index % styles.length] as (typeof styles)[number];
      const got = identifyLicenceText(inComment(texts[id]!.licenseText, style))?.id;
      if (got === textOf(id)) found += 1;
      else missed.push(`${id} as ${got}`);
    }
    expect(ids.length).toBeGreaterThan(40);
    expect(found / ids.length, missed.join(', ')).toBeGreaterThanOrEqual(0.95);
  });

  it('flags a licence text with an added restriction as modified, not as the base licence', () => {
    const modified = `${texts.MIT!.licenseText}\n\nThe Software may not be redistributed in binary form.\n`;
    expect(addedRestriction(modified, 'MIT')).toContain('may not be redistributed in binary form');
    expect(addedRestriction(texts.MIT!.licenseText, 'MIT')).toBeUndefined();
    expect(addedRestriction(texts['Apache-2.0']!.licenseText, 'Apache-2.0')).toBeUndefined();
    const [finding] = scanLicences([targetFromFile('LICENSE', modified)], { projectLicence: 'MIT' });
    expect(finding?.ruleId).toBe('licence.needs-review');
    expect(finding?.message).toContain('modified MIT licence text');
  });
});
