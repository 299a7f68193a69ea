import { describe, expect, it } from 'vitest';
import { scanPii } from '../src/pii/pii-scanner.ts';
import { targetFromFile } from '../src/scan-target.ts';

const scan = (text: string) => scanPii([targetFromFile('data/people.txt', text)]);
const rules = (text: string) => scan(text).map((finding) => finding.ruleId);

describe('PII scanner', () => {
  it('finds personal emails but not documentation, no-reply or role addresses', () => {
    expect(rules('write to marta.kowalczyk@acme-corp.io')).toEqual(['pii.email']);
    expect(
      rules('alice@example.com bob@test.example.org noreply@github.com 12345+jane@users.noreply.github.com'),
    ).toEqual([]);
    expect(rules('git@github.com:owner/repo.git security@acme-corp.io')).toEqual([]);
  });

  it('finds valid international phone numbers, not versions, timestamps or invalid numbers', () => {
    expect(rules('call +44 20 8123 4567 or +1 415 867 2671')).toEqual(['pii.phone-number', 'pii.phone-number']);
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
    expect(rules('pay to DE44 5001 0517 5407 3249 31')).toEqual(['pii.iban']);
    expect(rules('pay to DE44500105175407324932 or XX00 1234 5678 9012')).toEqual([]);
  });

  it('reports line and column and redacts the value', () => {
    const [finding] = scan('line one\nmail: marta.kowalczyk@acme-corp.io');
    expect(finding).toMatchObject({ line: 2, column: 7, type: 'pii', severity: 'low' });
    expect(JSON.stringify(finding)).not.toContain('marta.kowalczyk@acme-corp.io');
    expect(finding?.redacted).toMatch(/^mart…sha256:[0-9a-f]{12}$/);
  });
});

describe('PII scanner, tuned for code', () => {
  const at = (path: string, text: string) => scanPii([targetFromFile(path, text)]).map((finding) => finding.ruleId);

  it('passes documentation placeholders: reserved domains, placeholder names, keyboard mashes, file names', () => {
    const placeholders = [
      'user.name+tag@example.co.uk',
      'tom@test.acme-corp.io',
      'a@b.co',
      'aaaa@gmail.com',
      'john.doe@gmail.com',
      'your.name@company.com',
      'asdlkjf@lkajsdf.com',
      'some@one.com',
      'icon@2x.png',
      'https://anonymous:flabada@developer.mozilla.org/',
    ];
    for (const text of placeholders) expect(at('src/app.ts', `const a = "${text}";`), text).toEqual([]);
  });

  it('passes fictional phone numbers, test cards and example IBANs', () => {
    expect(at('src/a.ts', 'tel: +1 415 555 0123, +1 (800) 275-2273, +44 20 7946 0958, +44 7700 900123')).toEqual([]);
    expect(at('src/a.ts', 'cards: 5200828282828210 6200000000000005 4000002500003155')).toEqual([]);
    expect(at('src/a.ts', 'iban: DE89370400440532013000 GB29NWBK60161331926819 FR1420041010050500013M02606')).toEqual(
      [],
    );
  });

  it('passes author lists, manifests, changelogs, licence texts and copyright or attribution lines', () => {
    const person = 'Marta Kowalczyk <marta.kowalczyk@acme-corp.io>';
    expect(at('AUTHORS', person)).toEqual([]);
    expect(at('.mailmap', person)).toEqual([]);
    expect(at('CHANGELOG.md', `- fix parser (${person})`)).toEqual([]);
    expect(at('vendor/lib.js.LICENSE', person)).toEqual([]);
    expect(at('package.json', `  "contributors": [\n    "${person}"\n  ],`)).toEqual([]);
    expect(at('src/a.c', `/* Copyright (c) 2024 ${person} */`)).toEqual([]);
    expect(at('src/a.py', `# Author: ${person}`)).toEqual([]);
    expect(at('README.md', '[Marta](mailto:marta.kowalczyk@acme-corp.io)')).toEqual([]);
  });

  it('still finds real-looking personal data in fixtures and logs', () => {
    expect(at('test/fixtures/customers.json', '{ "email": "marta.kowalczyk@gmail.com" }')).toEqual(['pii.email']);
    expect(at('logs/app.log', 'login ok user=piotr.nowak@acme-corp.io phone=+44 20 8123 4567')).toEqual([
      'pii.email',
      'pii.phone-number',
    ]);
    expect(at('test/fixtures/payments.csv', 'marta,4539 1488 0343 6467,DE44500105175407324931')).toEqual([
      'pii.card-number',
      'pii.iban',
    ]);
  });
});
