// Phase 11: the operator console in real headless Chromium. `orchestrator serve` on a fresh data directory; the token
// entered once; a run started from the console is paused mid-run from the UI (the scripted Builder holds its first call
// until the run is paused: no timing), its instruction edited, resumed; it converges. After a server restart the run,
// its edited instruction and its artifacts (diff, prompts) are still there.
// Screenshots go to the temp data directory, or to P11_SCREENSHOTS (docs/phases/p11 for the phase page).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import type { Page } from 'playwright-core';
import { browserAvailability, launchChromium } from '../../apps/console/test/browser/chromium.ts';
import {
  buildConsole,
  type ConsoleServer,
  startConsoleServer,
} from '../../apps/console/test/browser/console-server.ts';
import { check, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const availability = browserAvailability();
if (!availability.run) {
  check('a Chromium to drive (CHROME_PATH or /usr/bin/chromium)', false, availability.reason);
  finish('p11');
}
const dataDir = freshDataDir('p11');
const shots = resolve(repoRoot, process.env.P11_SCREENSHOTS ?? join(dataDir, 'screenshots'));
mkdirSync(shots, { recursive: true });
const edited = 'add a README section with a usage example for new contributors';

buildConsole();
check('the console builds (vite)', true);

let server: ConsoleServer = await startConsoleServer({ dataDir, args: ['--fault', 'builder:hold'] });
check('serve prints the console URL and knows the console is built', server.started.consoleBuilt, server.url);
const browser = await launchChromium(availability.path);
const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
// Waits poll for states the run must reach; the bound only catches a hang, and a loaded machine is slow.
context.setDefaultTimeout(150_000);
const page = await context.newPage();
const consoleErrors: string[] = [];
page.on('pageerror', (error) => consoleErrors.push(error.message));
const shot = (name: string, target: Page = page) =>
  target.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const statusBadge = () => page.locator('.run-header .badge').first();
let runId = '';

try {
  // 1. The token, entered once.
  await page.goto(server.url);
  await page.getByLabel('API token').fill(server.token);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
  check('the token gate lets the operator in', true);

  // 2. Start a run from the console.
  await page.getByLabel('New run on the demo repository').fill('add a README section');
  await page.getByLabel('Feature (optional, groups spend)').fill('docs');
  await page.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/#\/runs\/r-/);
  runId = decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
  await page.getByText('live tail: live').waitFor();
  await page.getByRole('article', { name: 'architect propose turn 1' }).waitFor();
  check('a run started from the console streams into its view', runId.startsWith('r-'), runId);

  // 3. Pause it mid-run (the Builder's turn is in flight, held until the pause is journaled).
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('.paused').getByText('operator').waitFor();
  check('paused mid-run from the UI', (await statusBadge().textContent()) === 'paused');
  // The Builder's turn in flight completes; the kernel stops at the step boundary that follows.
  await page.getByRole('tab', { name: 'steps' }).click();
  await page.locator('table.steps tr', { hasText: 'implement' }).filter({ hasText: 'ok' }).waitFor();

  // 4. Edit the instruction of the paused run.
  await page.getByLabel('Edit the instruction of this paused run').fill(edited);
  await page.getByRole('button', { name: 'Save instruction' }).click();
  await page.getByRole('heading', { name: edited }).waitFor();
  check('the edited instruction heads the run', true, edited);
  await shot('run-paused-instruction-edited');

  // 5. Resume: the run converges.
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.locator('.run-header .badge', { hasText: 'converged' }).waitFor({ timeout: 120_000 });
  check('resumed from the UI, the run converges', true);
  await page.getByRole('tab', { name: 'debate' }).click();
  await shot('run-debate');
  await page.getByRole('tab', { name: 'steps' }).click();
  await shot('run-steps');
  await page.getByRole('tab', { name: 'diff' }).click();
  const diff = (await page.locator('pre.diff').textContent()) ?? '';
  check('the diff tab shows the change', diff.includes('+## Usage'));
  await shot('run-diff');
  await page.getByRole('tab', { name: 'spend' }).click();
  await shot('run-spend');
  await page.getByRole('tab', { name: 'log' }).click();
  await shot('run-log');
  await page.goto(`${server.url}/#/runs`);
  await page
    .getByRole('link', { name: edited })
    .or(page.getByRole('link', { name: 'add a README section' }))
    .waitFor();
  await shot('runs-list');
  await page.getByRole('link', { name: 'Spend' }).click();
  await page.getByRole('heading', { name: 'Spend' }).waitFor();
  await page.locator('.chart-bars').getByText('docs').waitFor();
  check('spend per feature shows the run under its feature label', true);
  await shot('spend-by-feature');
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(`${server.url}/#/runs/${encodeURIComponent(runId)}`);
  await phone.getByRole('heading', { name: edited }).waitFor();
  check(
    'on a phone (390×844) every tab is on screen and nothing scrolls sideways',
    Number(await phone.evaluate('document.documentElement.scrollWidth')) <= 390 &&
      ((await phone.getByRole('tab', { name: 'log' }).boundingBox())?.x ?? 999) + 20 <= 390,
  );
  await shot('run-phone', phone);
  await phone.close();

  // 6. Restart the server on the same address (same origin: the browser keeps the token).
  await server.stop();
  server = await startConsoleServer({ dataDir, port: server.port });
  await page.goto(`${server.url}/#/runs/${encodeURIComponent(runId)}`);
  await page.getByRole('heading', { name: edited }).waitFor();
  check(
    'after a restart, no token prompt: the console remembers it',
    (await page.getByLabel('API token').count()) === 0,
  );
  check('after a restart, the run is still converged', (await statusBadge().textContent()) === 'converged');
  check(
    'after a restart, the original task is kept beside the edit',
    (await page.getByText('Original task: add a README section').count()) === 1,
  );
  await page.getByRole('tab', { name: 'diff' }).click();
  check(
    'after a restart, the diff is still there',
    ((await page.locator('pre.diff').textContent()) ?? '').includes('+## Usage'),
  );
  check('the page raised no script error', consoleErrors.length === 0, consoleErrors.join('; '));
} catch (error) {
  check('the console flow completes', false, error instanceof Error ? error.message : String(error));
  await shot('failure').catch(() => undefined);
} finally {
  await browser.close();
  await server.stop();
}

// 7. The journal itself: the edit, the operator's pause, and prompts after the edit carrying it.
const store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
try {
  const events = runId === '' ? [] : await store.read(runId);
  const types = events.map((event) => event.type);
  check(
    'the journal has the operator pause, the instruction edit, the resume and the end',
    ['run-pause', 'instruction-edit', 'run-resume', 'run-end'].every((type) => types.includes(type)),
    types.join(' '),
  );
  const pauseSeq = events.find((event) => event.type === 'run-pause')?.seq ?? 0;
  const resumeSeq = events.find((event) => event.type === 'run-resume')?.seq ?? 0;
  check(
    'the kernel stopped at the step boundary: no step started between the pause and the resume',
    pauseSeq > 0 &&
      resumeSeq > pauseSeq &&
      !events.some((event) => event.type === 'step-start' && event.seq > pauseSeq && event.seq < resumeSeq),
  );
  const editSeq = events.find((event) => event.type === 'instruction-edit')?.seq ?? Number.POSITIVE_INFINITY;
  const laterCalls = events.filter((event) => event.type === 'model-call-start' && event.seq > editSeq);
  const prompts = await Promise.all(
    laterCalls.map((event) => store.getBlob((event.data as { requestSha256: string }).requestSha256)),
  );
  check(
    'every prompt after the edit carries the edited instruction',
    prompts.length > 0 && prompts.every((prompt) => prompt?.includes(edited) === true),
    `${prompts.length} prompt(s)`,
  );
} finally {
  await store.close();
}
console.log(`screenshots: ${shots}`);
finish('p11');
