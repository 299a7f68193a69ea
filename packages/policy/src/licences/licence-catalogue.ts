import { type CompatibilityDecision, decideCompatibility } from './licence-compatibility.ts';

/**
 * Licence families, by SPDX id. What matters for compatibility is the family: permissive code can go anywhere;
 * weak copyleft needs its files kept under their licence; strong copyleft makes the whole work copyleft; network
 * copyleft extends that to software offered over a network; restricted licences are not open source at all.
 */
export type LicenceFamily = 'permissive' | 'weak-copyleft' | 'strong-copyleft' | 'network-copyleft' | 'restricted';

const families: Record<LicenceFamily, readonly string[]> = {
  permissive: [
    '0BSD',
    'AFL-2.1',
    'AFL-3.0',
    'Apache-1.1',
    'Apache-2.0',
    'Artistic-2.0',
    'BlueOak-1.0.0',
    'BSD-1-Clause',
    'BSD-2-Clause',
    'BSD-3-Clause',
    'BSD-3-Clause-Clear',
    'BSD-4-Clause',
    'BSL-1.0',
    'CC-BY-3.0',
    'CC-BY-4.0',
    'CC0-1.0',
    'curl',
    'ISC',
    'MIT',
    'MIT-0',
    'MulanPSL-2.0',
    'NCSA',
    'OpenSSL',
    'PostgreSQL',
    'PSF-2.0',
    'Python-2.0',
    'Unicode-3.0',
    'Unicode-DFS-2016',
    'Unlicense',
    'UPL-1.0',
    'W3C',
    'WTFPL',
    'X11',
    'Zlib',
    'bzip2-1.0.6',
    'BSD-2-Clause-Patent',
    'Zlib-acknowledgement',
    'CC-PDDC',
    'blessing',
  ],
  'weak-copyleft': [
    'CDDL-1.0',
    'CDDL-1.1',
    'CPL-1.0',
    'EPL-1.0',
    'EPL-2.0',
    'LGPL-2.0-only',
    'LGPL-2.0-or-later',
    'LGPL-2.1-only',
    'LGPL-2.1-or-later',
    'LGPL-3.0-only',
    'LGPL-3.0-or-later',
    'MPL-1.1',
    'MPL-2.0',
    'MPL-2.0-no-copyleft-exception',
    'MS-RL',
    'CC-BY-SA-3.0',
    'CC-BY-SA-4.0',
    'CECILL-C',
  ],
  'strong-copyleft': [
    'GPL-1.0-only',
    'GPL-1.0-or-later',
    'GPL-2.0-only',
    'GPL-2.0-or-later',
    'GPL-3.0-only',
    'GPL-3.0-or-later',
    'EUPL-1.1',
    'EUPL-1.2',
    'OSL-3.0',
    'Sleepycat',
    'CECILL-2.1',
    'QPL-1.0',
  ],
  'network-copyleft': [
    'AGPL-1.0-only',
    'AGPL-1.0-or-later',
    'AGPL-3.0-only',
    'AGPL-3.0-or-later',
    'SSPL-1.0',
    'RPL-1.5',
  ],
  restricted: [
    'BUSL-1.1',
    'Elastic-2.0',
    'CC-BY-NC-2.0',
    'CC-BY-NC-SA-2.0',
    'CC-BY-NC-ND-2.0',
    'CC-BY-ND-2.0',
    'CC-BY-NC-2.5',
    'CC-BY-NC-SA-2.5',
    'CC-BY-NC-ND-2.5',
    'CC-BY-ND-2.5',
    'CC-BY-NC-3.0',
    'CC-BY-NC-SA-3.0',
    'CC-BY-NC-ND-3.0',
    'CC-BY-ND-3.0',
    'CC-BY-NC-4.0',
    'CC-BY-NC-SA-4.0',
    'CC-BY-NC-ND-4.0',
    'CC-BY-ND-4.0',
    'PolyForm-Noncommercial-1.0.0',
    'PolyForm-Shield-1.0.0',
    'Commons-Clause',
  ],
};

const familyById = new Map<string, LicenceFamily>();
for (const [family, ids] of Object.entries(families) as Array<[LicenceFamily, readonly string[]]>) {
  for (const id of ids) familyById.set(id, family);
}
// Deprecated SPDX ids still common in manifests (`GPL-3.0`, `LGPL-2.1+`).
const deprecatedAliases: Record<string, string> = {
  'GPL-2.0': 'GPL-2.0-only',
  'GPL-2.0+': 'GPL-2.0-or-later',
  'GPL-3.0': 'GPL-3.0-only',
  'GPL-3.0+': 'GPL-3.0-or-later',
  'LGPL-2.1': 'LGPL-2.1-only',
  'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3.0': 'LGPL-3.0-only',
  'LGPL-3.0+': 'LGPL-3.0-or-later',
  'AGPL-3.0': 'AGPL-3.0-only',
  'AGPL-3.0+': 'AGPL-3.0-or-later',
};

/** The canonical SPDX id for a (possibly deprecated) id. */
export function canonicalLicenceId(id: string): string {
  return deprecatedAliases[id] ?? id;
}

/** The family of a licence id, or undefined when it is not in the catalogue. */
export function licenceFamily(id: string): LicenceFamily | undefined {
  return familyById.get(canonicalLicenceId(id));
}

/** Every licence id of a family. */
export function licencesOfFamily(family: LicenceFamily): readonly string[] {
  return families[family];
}

/** Whether code under `incoming` may be added to a project under `project`, and if not, how bad it is. */
export type Compatibility = 'compatible' | 'needs-review' | 'incompatible';

/** The matrix decision, with its reason and source, for two canonical ids. */
export function compatibilityDecision(project: string, incoming: string): CompatibilityDecision {
  return decideCompatibility(project, incoming, licenceFamily(project), licenceFamily(incoming));
}

/** Compatibility of one incoming licence id with the project's licence id (both canonical). */
export function idCompatibility(project: string, incoming: string): Compatibility {
  return compatibilityDecision(project, incoming).compatibility;
}
