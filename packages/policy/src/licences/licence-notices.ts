/**
 * The standard licence headers (notices) that the licences' own texts ask to be put at the top of each file, as
 * SPDX lists them in `standardLicenseHeader`: comment markers and line wraps are ignored, as the SPDX matching
 * guidelines say (https://spdx.github.io/spdx-spec/v3.0.1/annexes/license-matching-guidelines-and-templates/).
 */
const notices: Array<{ id: string; pattern: RegExp }> = [
  {
    id: 'Apache-2.0',
    pattern:
      /licensed under the apache license,? version 2\.0 \(the "?license"?\);? you may not use this file except in compliance with the license/,
  },
  {
    id: 'MPL-2.0',
    pattern: /this source code form is subject to the terms of the mozilla public license,? v\. 2\.0/,
  },
  {
    id: 'EPL-2.0',
    pattern:
      /this program and the accompanying materials are made available under the terms of the eclipse public license v\. ?2\.0/,
  },
  {
    id: 'EPL-1.0',
    pattern:
      /all rights reserved\. this program and the accompanying materials are made available under the terms of the eclipse public license v1\.0/,
  },
  {
    id: 'CDDL-1.0',
    pattern:
      /the contents of this file are subject to the terms of the common development and distribution license \(the "?license"?\)(?:\. you may not use this file except in compliance with the license)?/,
  },
];

/** Normalises text as the SPDX guidelines do: lower case, comment markers and whitespace runs removed. */
export function normaliseLicenceText(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\s*(?:\/\/+|\/\*+|\*+\/?|#+|;+|--+|%+|!|rem\b|<!--|-->|'|dnl\b)/gm, ' ')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ');
}

/** The SPDX id of a standard licence header in the text (GNU notices are read by identifyGnuNotice), if any. */
export function identifyLicenceNotice(text: string): string | undefined {
  const normalised = normaliseLicenceText(text);
  return notices.find((notice) => notice.pattern.test(normalised))?.id;
}
