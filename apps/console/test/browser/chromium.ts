import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The Chromium to drive: CHROME_PATH, else Debian's /usr/bin/chromium. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (path): path is string => Boolean(path),
  );
  return candidates.find((path) => existsSync(path));
}

/**
 * Whether browser tests run here. They run whenever a Chromium is found; in CI (`CI=true`) a missing browser is a
 * failure, never a skip, so a green CI always means the browser tests ran.
 */
export function browserAvailability(
  env: NodeJS.ProcessEnv = process.env,
): { run: true; path: string } | { run: false; reason: string } {
  const path = findChromium(env);
  if (path) return { run: true, path };
  if (env.CI === 'true')
    throw new Error(
      'CI=true but no Chromium was found (install Debian `chromium` or set CHROME_PATH): browser tests must not be skipped in CI.',
    );
  return {
    run: false,
    reason: 'no Chromium found (set CHROME_PATH or apt-get install chromium); browser tests skipped on this machine',
  };
}

/** Launches headless Chromium with the flags this closed network needs. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
