import { UserError } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { chooseSandbox, platformSandboxNote } from './sandbox-choice.ts';

const missing = () => {
  throw new UserError({
    code: 'sandbox-unavailable',
    message: 'bubblewrap (bwrap) is not installed.',
    hint: 'install',
  });
};
const present = () => {};

describe('chooseSandbox', () => {
  it('lets the generated sample repository run unsandboxed, with a warning, when no sandbox can be made', () => {
    const choice = chooseSandbox({
      requested: undefined,
      configured: 'bubblewrap',
      generatedRepository: true,
      probe: missing,
      platform: 'linux',
    });
    expect(choice.kind).toBe('none');
    expect(choice.warning).toContain('bubblewrap (bwrap) is not installed');
    expect(choice.warning).toContain('runs on your own repositories refuse without a sandbox');
  });

  it('keeps bubblewrap for the sample repository when it works', () => {
    expect(
      chooseSandbox({
        requested: undefined,
        configured: 'bubblewrap',
        generatedRepository: true,
        probe: present,
        platform: 'linux',
      }),
    ).toEqual({ kind: 'bubblewrap' });
  });

  it("never falls back on the user's repository: the sandbox stays required and its absence refuses later", () => {
    expect(
      chooseSandbox({
        requested: undefined,
        configured: 'bubblewrap',
        generatedRepository: false,
        probe: missing,
        platform: 'linux',
      }),
    ).toEqual({ kind: 'bubblewrap' });
  });

  it('honours an explicit --sandbox, even on the sample repository', () => {
    expect(
      chooseSandbox({
        requested: 'bubblewrap',
        configured: 'none',
        generatedRepository: true,
        probe: missing,
        platform: 'linux',
      }),
    ).toEqual({ kind: 'bubblewrap' });
    expect(
      chooseSandbox({
        requested: 'none',
        configured: 'bubblewrap',
        generatedRepository: false,
        probe: present,
        platform: 'linux',
      }),
    ).toEqual({ kind: 'none' });
  });

  it('says why on macOS and Windows instead of probing for bubblewrap', () => {
    const choice = chooseSandbox({
      requested: undefined,
      configured: 'bubblewrap',
      generatedRepository: true,
      probe: present,
      platform: 'darwin',
    });
    expect(choice.kind).toBe('none');
    expect(choice.warning).toContain('Seatbelt');
    expect(platformSandboxNote('win32')).toContain('WSL 2');
    expect(platformSandboxNote('linux')).toBeUndefined();
  });
});
