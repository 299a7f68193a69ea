import { describe, expect, it } from 'vitest';
import { labelsOf, parseRunLabel } from './run-labels.ts';

describe('run labels', () => {
  it('parses key=value (the value may contain = or :) and key:value', () => {
    expect(parseRunLabel('feature=checkout')).toEqual({ key: 'feature', value: 'checkout' });
    expect(parseRunLabel('ticket=JIRA-12=b:c')).toEqual({ key: 'ticket', value: 'JIRA-12=b:c' });
    expect(parseRunLabel('feature:checkout')).toEqual({ key: 'feature', value: 'checkout' });
    expect(labelsOf(['feature=a', 'team=core', 'feature=b'])).toEqual({ feature: 'b', team: 'core' });
  });

  it('refuses a label without a key or a value', () => {
    for (const raw of ['checkout', '=checkout', 'feature=', ' = ']) {
      expect(() => parseRunLabel(raw)).toThrow(expect.objectContaining({ code: 'cli-invalid-label' }));
    }
  });
});
