import type { Compatibility, LicenceFamily } from './licence-catalogue.ts';

/** A decision of the compatibility matrix: code under `incoming` added to a project under `project`. */
export interface CompatibilityDecision {
  compatibility: Compatibility;
  /** Why, in one sentence. */
  reason: string;
  /** Where the rule comes from: the FSF, the OSI, Creative Commons, the licence's own text. */
  source: string;
}

export const sources = {
  fsfList: 'FSF, Various Licenses and Comments about Them (https://www.gnu.org/licenses/license-list.html)',
  gplFaq: 'FSF, GPL FAQ, compatibility matrix (https://www.gnu.org/licenses/gpl-faq.html#AllCompatibility)',
  apache: 'Apache Software Foundation, GPL compatibility (https://www.apache.org/licenses/GPL-compatibility.html)',
  mpl2: 'MPL-2.0 §1.12 and §3.3, Secondary Licenses (https://www.mozilla.org/en-US/MPL/2.0/FAQ/)',
  lgpl21: 'LGPL-2.1 §3: the licence may be replaced by GPL-2.0 or any later version',
  lgpl3: 'LGPL-3.0: additional permissions on top of GPL-3.0; FSF GPL FAQ compatibility matrix',
  gpl3s13: 'GPL-3.0 §13 and AGPL-3.0 §13: combining GPL-3.0 and AGPL-3.0 works',
  orLater: 'GPL "or (at your option) any later version": the recipient may choose the later version',
  eupl: 'EUPL-1.2 Appendix, compatible licences (https://joinup.ec.europa.eu/collection/eupl/matrix-eupl-compatible-open-source-licences)',
  cc: 'Creative Commons, compatible licences (https://creativecommons.org/share-your-work/licensing-considerations/compatible-licenses/)',
  osd: 'OSI, Open Source Definition §6 (no discrimination against fields of endeavor) (https://opensource.org/osd)',
  copyleft: 'The incoming licence text: derivative works must be distributed under the same licence',
  weak: "The incoming licence text: its files keep their licence (file- or library-level copyleft); check the project's distribution",
  own: 'The licence itself: the same terms on both sides',
  unknown: 'Not in the catalogue: a person must read the licence',
} as const;

const decision = (compatibility: Compatibility, reason: string, source: string): CompatibilityDecision => ({
  compatibility,
  reason,
  source,
});

const isGpl = (id: string) => /^GPL-/.test(id);
const isAgpl3 = (id: string) => /^AGPL-3\.0/.test(id);
const isGpl3 = (id: string) => /^GPL-3\.0/.test(id);
const isGpl2Only = (id: string) => id === 'GPL-2.0-only';
const isGpl2Plus = (id: string) => id === 'GPL-2.0-or-later';
/** Project licences whose terms can become GPL-3.0 (GPL-3.0 itself, GPL-2.0-or-later, AGPL-3.0 by §13). */
const reachesGpl3 = (project: string) => isGpl3(project) || isGpl2Plus(project);

/** Weak copyleft into a GPL or AGPL project, licence by licence. */
function weakIntoGpl(project: string, incoming: string): CompatibilityDecision {
  if (/^LGPL-2\.[01]/.test(incoming))
    return decision('compatible', `${incoming} code may be relicensed to the GPL (v2 or later)`, sources.lgpl21);
  if (/^LGPL-3\.0/.test(incoming)) {
    return isGpl2Only(project)
      ? decision('incompatible', 'LGPL-3.0 builds on GPL-3.0, which GPL-2.0-only cannot take', sources.gplFaq)
      : decision('compatible', 'LGPL-3.0 is GPL-3.0 with extra permissions', sources.lgpl3);
  }
  if (incoming === 'MPL-2.0')
    return decision('compatible', 'MPL-2.0 allows its files to be combined under the GNU licences', sources.mpl2);
  if (incoming === 'MPL-2.0-no-copyleft-exception')
    return decision('incompatible', 'this MPL-2.0 text is marked "Incompatible With Secondary Licenses"', sources.mpl2);
  if (incoming === 'CC-BY-SA-4.0') {
    return isGpl3(project) || isAgpl3(project)
      ? decision('compatible', 'CC BY-SA 4.0 is declared one-way compatible with GPL-3.0', sources.cc)
      : decision('incompatible', 'CC BY-SA 4.0 is compatible with GPL-3.0 only', sources.cc);
  }
  if (incoming === 'EPL-2.0')
    return decision(
      'needs-review',
      'EPL-2.0 is GPL-compatible only if the code names GPL as Secondary License',
      sources.fsfList,
    );
  return decision('incompatible', `${incoming}'s copyleft terms conflict with the GPL`, sources.fsfList);
}

/** Strong copyleft into a GPL project. */
function strongIntoGpl(project: string, incoming: string): CompatibilityDecision {
  if (isGpl(incoming)) {
    if (incoming === 'GPL-2.0-or-later' || incoming === 'GPL-1.0-or-later')
      return decision('compatible', `${incoming} may be taken under the project's GPL version`, sources.orLater);
    if (isGpl3(incoming))
      return reachesGpl3(project)
        ? decision(
            'compatible',
            'the project may be distributed under GPL-3.0 (its "or later" clause)',
            sources.orLater,
          )
        : decision('incompatible', 'GPL-3.0 code cannot go into a GPL-2.0-only work', sources.gplFaq);
    if (incoming === 'GPL-2.0-only')
      return isGpl2Plus(project) || isGpl2Only(project)
        ? decision('compatible', 'the combined work is distributed under GPL-2.0-only', sources.gplFaq)
        : decision('incompatible', 'GPL-2.0-only code cannot be relicensed to GPL-3.0', sources.gplFaq);
    return decision('incompatible', `${incoming} cannot be upgraded to ${project}`, sources.gplFaq);
  }
  if (incoming === 'EUPL-1.2')
    return decision('compatible', 'EUPL-1.2 lists the GPL among its compatible licences', sources.eupl);
  if (incoming === 'EUPL-1.1')
    return isGpl2Only(project) || isGpl2Plus(project)
      ? decision('compatible', 'EUPL-1.1 lists GPL-2.0 among its compatible licences', sources.eupl)
      : decision('incompatible', 'EUPL-1.1 does not list GPL-3.0', sources.eupl);
  return decision('incompatible', `${incoming}'s copyleft terms conflict with the GPL`, sources.fsfList);
}

/**
 * The one-way compatibility matrix: may code under `incoming` (canonical SPDX id) be added to a project under
 * `project`? Families come from the catalogue; the exceptions are the cases the sources decide one by one.
 */
export function decideCompatibility(
  project: string,
  incoming: string,
  projectFamily: LicenceFamily | undefined,
  incomingFamily: LicenceFamily | undefined,
): CompatibilityDecision {
  if (project === incoming) return decision('compatible', 'same licence', sources.own);
  if (incomingFamily === undefined || projectFamily === undefined)
    return decision('needs-review', 'a licence outside the catalogue', sources.unknown);
  if (incomingFamily === 'restricted')
    return decision(
      'incompatible',
      `${incoming} restricts use (non-commercial, no derivatives or source-available): not open source`,
      sources.osd,
    );
  const copyleftProject = projectFamily === 'strong-copyleft' || projectFamily === 'network-copyleft';
  if (incomingFamily === 'permissive') {
    if (incoming === 'Apache-2.0' && (isGpl2Only(project) || /^LGPL-2\.[01]-only$/.test(project)))
      return decision('incompatible', "Apache-2.0's patent terms conflict with GPL-2.0", sources.apache);
    if (incoming === 'BSD-4-Clause' && (copyleftProject || /^LGPL/.test(project)))
      return decision('incompatible', 'the BSD advertising clause is an added restriction', sources.fsfList);
    return decision('compatible', 'permissive code may be used anywhere with its notice kept', sources.fsfList);
  }
  if (projectFamily === 'permissive' || projectFamily === 'restricted') {
    return incomingFamily === 'weak-copyleft'
      ? decision('needs-review', `${incoming} files stay under their licence inside a ${project} project`, sources.weak)
      : decision('incompatible', `${incoming} would make the whole ${project} work copyleft`, sources.copyleft);
  }
  if (projectFamily === 'weak-copyleft') {
    return incomingFamily === 'weak-copyleft'
      ? decision(
          'needs-review',
          `two file-level copylefts (${incoming} into ${project}) must both be honoured`,
          sources.weak,
        )
      : decision(
          'incompatible',
          `${incoming} would make the whole ${project} work ${incomingFamily}`,
          sources.copyleft,
        );
  }
  if (projectFamily === 'strong-copyleft') {
    if (!isGpl(project))
      return decision(
        'needs-review',
        `copyleft into ${project}: check the licence's compatibility list`,
        sources.copyleft,
      );
    if (incomingFamily === 'weak-copyleft') return weakIntoGpl(project, incoming);
    if (incomingFamily === 'strong-copyleft') return strongIntoGpl(project, incoming);
    if (isAgpl3(incoming) && reachesGpl3(project))
      return decision('needs-review', 'AGPL-3.0 code keeps its network clause inside a GPL-3.0 work', sources.gpl3s13);
    return decision('incompatible', `${incoming} adds network obligations ${project} cannot carry`, sources.copyleft);
  }
  // network copyleft project (AGPL-3.0 and friends)
  if (!isAgpl3(project))
    return decision(
      'needs-review',
      `copyleft into ${project}: check the licence's compatibility list`,
      sources.copyleft,
    );
  if (incomingFamily === 'weak-copyleft') return weakIntoGpl(project, incoming);
  if (incomingFamily === 'strong-copyleft') {
    if (isGpl3(incoming) || incoming === 'GPL-2.0-or-later' || incoming === 'GPL-1.0-or-later')
      return decision('compatible', 'GPL-3.0 code may be combined with AGPL-3.0 code', sources.gpl3s13);
    if (incoming === 'EUPL-1.2')
      return decision('compatible', 'EUPL-1.2 lists AGPL-3.0 among its compatible licences', sources.eupl);
    return decision('incompatible', `${incoming} cannot be combined into AGPL-3.0`, sources.gplFaq);
  }
  return isAgpl3(incoming)
    ? decision('compatible', 'AGPL-3.0 only or later into AGPL-3.0', sources.orLater)
    : decision('incompatible', `${incoming} cannot be combined into ${project}`, sources.copyleft);
}
