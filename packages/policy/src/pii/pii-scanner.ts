import type { FindingSeverity, PolicyFinding } from '@orchestrator/spec';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import validator from 'validator';
import { findingId, redactValue } from '../redact-value.ts';
import type { ScanTarget } from '../scan-target.ts';
import { isValidNino, isValidSsn } from './national-ids.ts';
import {
  isAttributionLine,
  isCreditFile,
  isExampleIban,
  isFictionalPhoneNumber,
  isManifest,
  isPlaceholderEmail,
  isTestCardNumber,
} from './placeholders.ts';

interface PiiMatch {
  ruleId: string;
  severity: FindingSeverity;
  what: string;
  line: number;
  column: number;
  value: string;
}

const emailCandidate = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const cardCandidate = /\b\d(?:[ -]?\d){12,18}\b/g;
const ssnCandidate = /\b(\d{3})-(\d{2})-(\d{4})\b/g;
const ninoCandidate = /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const ibanCandidate = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;

function scanLine(line: number, text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  const add = (ruleId: string, severity: FindingSeverity, what: string, index: number, value: string) =>
    found.push({ ruleId, severity, what, line, column: index + 1, value });
  if (text.includes('@')) {
    for (const match of text.matchAll(emailCandidate)) {
      const value = match[0];
      const before = text.slice(Math.max(0, match.index - 200), match.index);
      if (/:\/\/[^\s/@]*:$/.test(before)) continue; // https://user:password@host: a credential, not an address
      if (/mailto:$/i.test(before) || text.includes(`mailto:${value}`)) continue; // a link asking to be written to
      if (isPlaceholderEmail(value) || !validator.isEmail(value)) continue;
      add('pii.email', 'low', 'An email address', match.index, value);
    }
  }
  if (/\+\d/.test(text)) {
    for (const number of findPhoneNumbersInText(text)) {
      if (!number.number.isValid() || isFictionalPhoneNumber(number.number.number, number.number.getType())) continue;
      add('pii.phone-number', 'low', 'A phone number', number.startsAt, text.slice(number.startsAt, number.endsAt));
    }
  }
  if (/\d{4}/.test(text)) {
    for (const match of text.matchAll(cardCandidate)) {
      const digits = match[0].replace(/[ -]/g, '');
      if (isTestCardNumber(digits) || !validator.isCreditCard(digits)) continue;
      add('pii.card-number', 'high', 'A payment card number (passes the Luhn check)', match.index, match[0]);
    }
    for (const match of text.matchAll(ssnCandidate)) {
      if (!isValidSsn(match[1] ?? '', match[2] ?? '', match[3] ?? '')) continue;
      add('pii.national-id.us-ssn', 'high', 'A US Social Security number', match.index, match[0]);
    }
  }
  if (/[A-Z]{2}/.test(text)) {
    for (const match of text.matchAll(ninoCandidate)) {
      if (!isValidNino(match[0])) continue;
      add('pii.national-id.uk-nino', 'high', 'A UK National Insurance number', match.index, match[0]);
    }
    for (const match of text.matchAll(ibanCandidate)) {
      const iban = electronicFormatIBAN(match[0]);
      if (iban === null || !isValidIBAN(iban) || isExampleIban(iban)) continue;
      add('pii.iban', 'high', 'A bank account number (IBAN)', match.index, match[0]);
    }
  }
  return found;
}

/**
 * Scans targets for personal data: emails, phone numbers, card numbers (Luhn), national ids (US SSN, UK NINO), IBANs.
 * Tuned for code: documentation placeholders, fictional and test numbers, example IBANs, author lists, changelogs and
 * copyright or licence headers are not findings; real-looking data in fixtures and logs still is.
 */
export function scanPii(targets: readonly ScanTarget[]): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const target of targets) {
    if (target.deleted === true || isCreditFile(target.path)) continue;
    const manifest = isManifest(target.path);
    for (const { line, text } of target.lines) {
      if (text.length > 4000 || isAttributionLine(text)) continue;
      for (const match of scanLine(line, text)) {
        if (manifest && match.ruleId === 'pii.email') continue;
        findings.push({
          specificationVersion: 'v1',
          id: findingId(match.ruleId, target.path, match.value),
          type: 'pii',
          ruleId: match.ruleId,
          severity: match.severity,
          path: target.path,
          line: match.line,
          column: match.column,
          source: target.source,
          message: `${match.what} is being added to ${target.path}.`,
          fix: 'Replace it with an obviously fake value (e.g. an example.com address, a documented test number), or allowlist the finding id with a reason and an expiry if it is meant to be there.',
          redacted: redactValue(match.value),
          scanner: 'pii',
        });
      }
    }
  }
  return findings;
}
