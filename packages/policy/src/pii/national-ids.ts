/** US Social Security Number in the dashed form, following the SSA's rules on invalid areas, groups and serials. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  if (group === '00' || serial === '0000') return false;
  // numbers the SSA retired after they were published in advertising (Woolworth wallet card, etc.)
  return !['078-05-1120', '219-09-9999', '123-45-6789'].includes(`${area}-${group}-${serial}`);
}

const invalidNinoPrefixes = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

/** UK National Insurance number (HMRC format rules: no D, F, I, Q, U, V; second letter not O; reserved prefixes). */
export function isValidNino(candidate: string): boolean {
  const compact = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(compact)) return false;
  return !invalidNinoPrefixes.has(compact.slice(0, 2));
}
