import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { targetFromFile } from '../src/scan-target.ts';
import { compileRuleSet, type GitleaksRuleFile, gitleaksRuleSet } from '../src/secrets/gitleaks-rules.ts';
import { findWithGitleaksRules } from '../src/secrets/gitleaks-scanner.ts';
import { convertGoRegex, GoRegexError } from '../src/secrets/go-regex.ts';
import { createKeywordMatcher } from '../src/secrets/keyword-matcher.ts';
import { findSecrets, mayInterestSecretlint, scanSecrets } from '../src/secrets/secret-scanner.ts';
import { familyPositives } from './secret-labelled-families.ts';
import { generator, secretLabelledSet } from './secret-labelled-set.ts';
import { secretlintLabelledSet } from './secretlint-labelled-set.ts';

const regex = (pattern: string) => {
  const converted = convertGoRegex(pattern);
  return new RegExp(converted.source, converted.flags);
};

describe('Go regex conversion', () => {
  it('turns a leading (?i) into the i flag and an inner one into a modifier group over the rest of its group', () => {
    expect(convertGoRegex('(?i)abc')).toEqual({ source: 'abc', flags: 'i' });
    const inner = regex('\\b(p8e-(?i)[a-z0-9]{4})\\b');
    expect(inner.test('p8e-AB12')).toBe(true);
    expect(inner.test('P8E-ab12')).toBe(false);
  });

  it('applies an inline flag to every later alternative of its group, as RE2 does', () => {
    const alternatives = regex('a(?i)b|c');
    expect(alternatives.test('C')).toBe(true);
    expect(alternatives.test('aB')).toBe(true);
    expect(alternatives.test('AB')).toBe(false);
  });

  it('expands POSIX classes and rewrites \\z, (?P<name>…) and \\Q…\\E', () => {
    expect(regex('^pat[[:alnum:]]{3}$').test('patA1z')).toBe(true);
    expect(regex('^pat[[:alnum:]]{3}$').test('pat_1z')).toBe(false);
    expect(regex('x\\z').test('x\n')).toBe(false);
    expect(regex('(?P<word>w+)').exec('ww')?.groups?.word).toBe('ww');
    expect(regex('\\Qa.b\\E').test('axb')).toBe(false);
  });

  it('refuses what has no JavaScript equivalent, with the reason', () => {
    expect(() => convertGoRegex('\\pL+')).toThrow(GoRegexError);
    expect(() => convertGoRegex('(?U)a+')).toThrow(/inline flags/);
  });
});

describe('gitleaks rule set', () => {
  it('converts every rule of the pinned upstream file, each one compiling', () => {
    const set = gitleaksRuleSet();
    expect(set.source).toMatchObject({ tag: 'v8.30.1', licence: 'MIT' });
    expect(set.unconverted).toEqual([]);
    expect(set.rules.filter((rule) => rule.origin === 'gitleaks')).toHaveLength(222);
    for (const rule of set.rules) expect(rule.regex === undefined || rule.regex.flags.includes('g')).toBe(true);
  });

  it('finds every generated family the old scanner missed, with rule id, fingerprint and redacted match', async () => {
    for (const [index, family] of familyPositives.entries()) {
      const target = targetFromFile(family.path, family.make(generator(7919 + index)));
      const [match] = await findSecrets(target);
      const findings = await scanSecrets([target]);
      expect(findings.length, family.name).toBeGreaterThan(0);
      const [finding] = findings;
      expect(finding?.id).toMatch(new RegExp(`^${finding?.ruleId.replace(/\./g, '\\.')}:[0-9a-f]{16}$`));
      expect(finding?.redacted).toMatch(/sha256:[0-9a-f]{12}$/);
      expect(JSON.stringify(finding)).not.toContain(match?.value);
    }
  });

  it('runs a rule only when one of its keywords is present, and drops matches at or below its entropy', () => {
    const file: GitleaksRuleFile = {
      source: { repository: 'test', path: 'test', tag: 't', commit: '0'.repeat(40), licence: 'MIT' },
      allowlists: [],
      rules: [
        {
          id: 'demo',
          description: 'demo',
          regex: { source: 'tok_([a-z0-9]{8})', flags: '' },
          entropy: 2,
          keywords: ['tok_'],
          allowlists: [],
        },
      ],
      unconverted: [],
    };
    const set = compileRuleSet(file);
    expect(findWithGitleaksRules(targetFromFile('a.txt', 'x = tok_a1b2c3d4'), set)).toHaveLength(1);
    expect(findWithGitleaksRules(targetFromFile('a.txt', 'x = tok_aaaaaaaa'), set)).toHaveLength(0);
    const elsewhere = compileRuleSet({
      ...file,
      rules: file.rules.map((rule) => ({ ...rule, keywords: ['nothere'] })),
    });
    expect(findWithGitleaksRules(targetFromFile('a.txt', 'x = tok_a1b2c3d4'), elsewhere)).toHaveLength(0);
  });

  it('finds every keyword present in one pass, overlapping and in any case', () => {
    const matcher = createKeywordMatcher(['sk-ant', 'sk-', 'ant', 'token', 'hooks.slack.com']);
    expect([...matcher.present('const K = "SK-ANT-x"; // HOOKS.Slack.com é')].sort()).toEqual([0, 1, 2, 4]);
    expect([...matcher.present('no keys here')]).toEqual([]);
  });

  it("honours gitleaks:allow, the global path allowlist and Google's published API keys", async () => {
    const token = ['gh', 'p_', 'Zq3vT8kP1mXc7Rb2Nw9Ly4Hd6Fs0Ja5GeUoW1'].join('');
    expect(findWithGitleaksRules(targetFromFile('src/a.ts', `const t = "${token}";`))).toHaveLength(1);
    expect(await scanSecrets([targetFromFile('src/a.ts', `const t = "${token}"; // gitleaks:allow`)])).toEqual([]);
    expect(findWithGitleaksRules(targetFromFile('node_modules/x/a.js', `const t = "${token}";`))).toEqual([]);
    const published = ['AIza', 'SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs'].join('');
    expect(await scanSecrets([targetFromFile('web/maps.js', `const key = "${published}";`)])).toEqual([]);
    const sampleJwt = [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
      'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ].join('.');
    expect(await scanSecrets([targetFromFile('test/jwt.test.ts', `const token = "${sampleJwt}";`)])).toEqual([]);
  });

  it('runs secretlint on every labelled sample it has a finding for (its prefilter loses nothing)', async () => {
    const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] };
    let checked = 0;
    for (const sample of [...secretLabelledSet(), ...secretlintLabelledSet()]) {
      const target = targetFromFile(sample.path, sample.content);
      const result = await lintSource({
        source: { filePath: sample.path, content: sample.content, ext: '', contentType: 'text' },
        options: { config, noPhysicFilePath: true },
      });
      if (result.messages.length === 0) continue;
      checked += 1;
      expect(mayInterestSecretlint(target), sample.name).toBe(true);
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('meets the bar on the labelled sets: recall >= 95 %, false positives <= 5 % of clean samples', async () => {
    const samples = [...secretLabelledSet(), ...secretlintLabelledSet()];
    let found = 0;
    let flagged = 0;
    for (const sample of samples) {
      const hit = (await scanSecrets([targetFromFile(sample.path, sample.content)])).length > 0;
      if (sample.secret && hit) found += 1;
      if (!sample.secret && hit) flagged += 1;
    }
    const secrets = samples.filter((sample) => sample.secret).length;
    expect(found / secrets).toBeGreaterThanOrEqual(0.95);
    expect(flagged / (samples.length - secrets)).toBeLessThanOrEqual(0.05);
  });
});
