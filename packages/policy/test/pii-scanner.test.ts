import { describe, expect, it } from 'vitest';
import { scanPii } from '../src/pii/pii-scanner.ts';
import { targetFromFile } from '../src/scan-target.ts';

const scan = (text: string) => scanPii([targetFromFile('data/people.txt', text)]);
const rules = (text: string) => scan(text).map((finding) => finding.ruleId);

describe('PII scanner', () => {
  it('finds personal emails but not documentation, no-reply or role addresses', () => {
    expect(rules('write to jane.doe@acme-corp.io')).toEqual(['pii.email']);
    expect(
      rules('alice@example.com bob@test.example.org noreply@github.com 12345+jane@users.noreply.github.com'),
    ).toEqual([]);
    expect(rules('git@github.com:owner/repo.git security@acme-corp.io')).toEqual([]);
  });

  it('finds valid international phone numbers, not versions, timestamps or invalid numbers', () => {
    expect(rules('call +44 20 7946 0958 or +1 415 555 2671')).toEqual(['pii.phone-number', 'pii.phone-number']);
    expect(rules('version 1.2.3.4 at 1700000000000, +1 000 000 0000, v+2.0')).toEqual([]);
  });

  it('finds card numbers that pass Luhn, but not published test cards or Luhn failures', () => {
    expect(rules('card 4539 1488 0343 6467')).toEqual(['pii.card-number']);
    expect(rules('stripe test 4242 4242 4242 4242, visa test 4111111111111111')).toEqual([]);
    expect(rules('order 4539148803436468 and 1234567812345678')).toEqual([]);
  });

  it('finds national ids (US SSN, UK NINO) and rejects numbers the rules exclude', () => {
    expect(rules('ssn 536-22-8745')).toEqual(['pii.national-id.us-ssn']);
    expect(rules('ssn 000-12-3456 666-12-3456 912-34-5678 536-00-8745 123-45-6789')).toEqual([]);
    expect(rules('NINO AB 12 34 56 C')).toEqual(['pii.national-id.uk-nino']);
    expect(rules('QQ123456C BG123456A')).toEqual([]);
  });

  it('finds IBANs with a valid checksum only', () => {
    expect(rules('pay to DE89 3704 0044 0532 0130 00')).toEqual(['pii.iban']);
    expect(rules('pay to DE89370400440532013001 or XX00 1234 5678 9012')).toEqual([]);
  });

  it('reports line and column and redacts the value', () => {
    const [finding] = scan('line one\nmail: jane.doe@acme-corp.io');
    expect(finding).toMatchObject({ line: 2, column: 7, type: 'pii', severity: 'low' });
    expect(JSON.stringify(finding)).not.toContain('jane.doe@acme-corp.io');
    expect(finding?.redacted).toMatch(/^jane…sha256:[0-9a-f]{12}$/);
  });
});
