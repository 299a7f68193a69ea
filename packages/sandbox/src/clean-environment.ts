import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@orchestrator/spec';

/** Variables copied from the host when set: none of them holds a credential. */
const copiedFromHost = [
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'PYENV_ROOT',
  'PYENV_VERSION',
  'VIRTUAL_ENV',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'RUSTUP_TOOLCHAIN',
  'GOROOT',
  'GOPATH',
  'GOMODCACHE',
  'GOFLAGS',
  'NVM_DIR',
] as const;

/** Toolchains that find themselves through HOME: once HOME is the private tmp, point them at the host's copy. */
const toolchainHomes: Array<[string, string]> = [
  ['PYENV_ROOT', '.pyenv'],
  ['CARGO_HOME', '.cargo'],
  ['RUSTUP_HOME', '.rustup'],
  ['GOPATH', 'go'],
  ['NVM_DIR', '.nvm'],
];

/** Names that look like credentials; refused even when a caller asks to pass them. */
const credentialName = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION)/i;

/**
 * The whole environment of a sandboxed command: an allowlist, never the host's environment. HOME and TMPDIR point to
 * the private tmp, CI=true makes runners non-interactive, NO_COLOR keeps output parseable. Toolchains installed under
 * the host's home (pyenv, cargo, rustup, go, nvm) stay usable read-only through their *_HOME/ROOT variables.
 */
export function buildCleanEnvironment(
  hostEnvironment: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  hostHome: string | undefined = hostEnvironment.HOME,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of copiedFromHost) {
    const value = hostEnvironment[name];
    if (value !== undefined && value !== '') environment[name] = value;
  }
  for (const [name, directory] of toolchainHomes) {
    if (environment[name] === undefined && hostHome !== undefined && existsSync(join(hostHome, directory))) {
      environment[name] = join(hostHome, directory);
    }
  }
  environment.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  environment.LANG ??= 'C.UTF-8';
  Object.assign(environment, {
    HOME: '/tmp',
    TMPDIR: '/tmp',
    USER: 'sandbox',
    CI: 'true',
    TERM: 'dumb',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    PYTHONDONTWRITEBYTECODE: '1',
  });
  for (const [name, value] of Object.entries(extra)) {
    if (credentialName.test(name)) {
      throw new UserError({
        code: 'sandbox-credential-env',
        message: `Refusing to pass ${name} into the sandbox: the name looks like a credential.`,
        hint: 'Tests run without credentials; use a fake value under a neutral name if a test needs one.',
        details: { name },
      });
    }
    environment[name] = value;
  }
  return environment;
}
