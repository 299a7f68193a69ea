import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when bwrap is on the PATH of this test process. */
export function bubblewrapInstalled(searchPath = process.env.PATH ?? ''): boolean {
  return searchPath.split(delimiter).some((directory) => {
    if (directory === '') return false;
    try {
      accessSync(join(directory, 'bwrap'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** CI sets ORCHESTRATOR_REQUIRE_SANDBOX=1: a missing bwrap is then a failure, never a skip. */
export function sandboxRequired(): boolean {
  const value = process.env.ORCHESTRATOR_REQUIRE_SANDBOX;
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * Whether the sandbox suites run here: they do when bwrap is installed, and also when the sandbox is required (so a
 * missing bwrap fails them loudly). Only a machine without bwrap and without the requirement skips them.
 */
export function sandboxSuitesRun(): boolean {
  return bubblewrapInstalled() || sandboxRequired();
}

export const sandboxSkipMessage =
  'skipped: bubblewrap (bwrap) is not installed here and ORCHESTRATOR_REQUIRE_SANDBOX is not set';
