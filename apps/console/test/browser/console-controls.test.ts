import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEvent } from '@orchestrator/spec';
import { SqliteJournalStore } from '@orchestrator/store';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium } from './chromium.ts';
import { buildConsole, type ConsoleServer, repoRoot, startConsoleServer } from './console-server.ts';

const availability = browserAvailability();
const edited = 'add a README section with a usage example';

/** Waits for a condition on the journal (another process writes it); never a fixed delay. */

// Every wait polls for a state the run must reach; the bound only catches a hang. A loaded CI machine can take minutes
// where a quiet one takes seconds, and must not turn a correct test red.
const slowMachineMs = 150_000;
async function until<T>(read: () => Promise<T | undefined>, label: string, timeoutMs = slowMachineMs): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!availability.run)('the console in Chromium', () => {
  let dataDir: string;
  let server: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let store: SqliteJournalStore;
  /** The run the live-tail test leaves paused. */
  let pausedRunId = '';

  const journal = (runId: string): Promise<JournalEvent[]> => store.read(runId);
  const badge = () => page.locator('.run-header .badge').first();

  /** Starts a run from the runs list; its Builder holds its first call until the run is paused. */
  async function startRun(task: string): Promise<string> {
    await page.goto(`${server.url}/#/runs`);
    await page.getByLabel('New run on the demo repository').fill(task);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\/r-/);
    await page.getByRole('article', { name: 'architect propose turn 1' }).waitFor();
    return decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
  }

  /** Pauses from the UI and waits for the Builder's turn in flight to end (the kernel then stops at the boundary). */
  async function pauseFromUi(runId: string): Promise<void> {
    // Click only once the Builder is inside its held call: pausing earlier would land before the call, and the order
    // would depend on timing rather than on the controls.
    await until(
      async () =>
        (await journal(runId)).find((event) => event.type === 'model-call-start' && event.stepId === 'turn-2'),
      "the Builder's held call",
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.paused').waitFor();
    await until(
      async () => (await journal(runId)).find((event) => event.type === 'step-end' && event.stepId === 'turn-2'),
      'the end of the Builder turn',
    );
  }

  beforeAll(async () => {
    buildConsole();
    dataDir = mkdtempSync(join(tmpdir(), 'orchestrator-console-'));
    server = await startConsoleServer({ dataDir, args: ['--fault', 'builder:hold'] });
    store = SqliteJournalStore.open(join(dataDir, 'journal.db'));
    browser = await launchChromium((availability as { path: string }).path);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(slowMachineMs);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await store?.close();
  });

  it('takes the token from the link once and clears it from the address bar', async () => {
    await page.goto(`${server.url}/#token=${encodeURIComponent(server.token)}`);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(page.url()).not.toContain(server.token);
    expect(await page.evaluate(() => window.location.hash)).toBe('#/runs');
  });

  describe('controls of one run', () => {
    let runId: string;

    it('pauses a run mid-turn', async () => {
      runId = await startRun('add a README section');
      await pauseFromUi(runId);
      expect(await badge().textContent()).toBe('paused');
      const events = await journal(runId);
      const pause = events.find((event) => event.type === 'run-pause');
      expect(pause?.data).toMatchObject({ reason: 'operator' });
      // Paused during the Builder's model call: the turn's end came after the pause, and no later step started.
      const builderCall = events.find((event) => event.type === 'model-call-start' && event.stepId === 'turn-2');
      expect(pause!.seq).toBeGreaterThan(builderCall!.seq);
      expect(events.filter((event) => event.type === 'step-start')).toHaveLength(2);
    });

    it('edits the instruction of the paused run', async () => {
      await page.getByLabel('Edit the instruction of this paused run').fill(edited);
      await page.getByRole('button', { name: 'Save instruction' }).click();
      await page.getByRole('heading', { name: edited }).waitFor();
      await page.getByText('Original task: add a README section').waitFor();
      const edit = (await journal(runId)).find((event) => event.type === 'instruction-edit');
      expect(edit?.data).toMatchObject({ instruction: edited });
    });

    it("edits one role's instruction", async () => {
      await page.getByLabel('Edit the instruction of this paused run').fill('check the usage example runs');
      await page.getByLabel('For').selectOption('critic');
      await page.getByRole('button', { name: 'Save instruction' }).click();
      await page
        .getByRole('list', { name: 'instructions for one role' })
        .getByText('check the usage example runs')
        .waitFor();
      const edits = (await journal(runId))
        .filter((event) => event.type === 'instruction-edit')
        .map((event) => event.data);
      expect(edits.at(-1)).toMatchObject({ instruction: 'check the usage example runs', role: 'critic' });
      // The heading keeps the instruction for every role.
      await page.getByRole('heading', { name: edited }).waitFor();
    });

    it('requests a rerun of a step', async () => {
      await page.getByRole('tab', { name: 'steps' }).click();
      await page.getByRole('button', { name: 'rerun step turn-1' }).click();
      await page.getByText('Rerun of turn-1 requested').waitFor();
      expect((await journal(runId)).filter((event) => event.type === 'step-rerun')).toHaveLength(1);
    });

    it('resumes: the rerun plays first and the run converges', async () => {
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.locator('.run-header .badge', { hasText: 'converged' }).waitFor({ timeout: slowMachineMs });
      const starts = (await journal(runId)).filter((event) => event.type === 'step-start').map((event) => event.stepId);
      expect(starts).toEqual(['turn-1', 'turn-2', 'turn-1', 'turn-3']);
    });

    it('shows both outcomes of the rerun side by side', async () => {
      await page.getByRole('tab', { name: 'debate' }).click();
      const pair = page.getByRole('region', { name: 'rerun outcomes side by side' });
      await pair.getByRole('article').nth(1).waitFor();
      expect(await pair.getByRole('article').count()).toBe(2);
      const [first, second] = await pair.getByRole('article').allTextContents();
      expect(first).toContain('Plan for "add a README section"');
      expect(second).toContain(`Plan for "${edited}"`);
      expect(second).toContain('attempt 2');
      // The phase page's screenshot of this view (P11_SCREENSHOTS=docs/phases/p11).
      const shots = process.env.P11_SCREENSHOTS;
      if (shots) await page.screenshot({ path: join(repoRoot, shots, 'run-rerun-side-by-side.png'), fullPage: true });
      await page.getByRole('tab', { name: 'steps' }).click();
      await page.getByText('propose (attempt 2)').waitFor();
    });
  });

  it('approves and rejects pending approvals; a rejection cancels the run', async () => {
    const runId = await startRun('add a LICENSE file');
    await pauseFromUi(runId);
    // A policy gate asks for two approvals while the run is paused (the kernel is stopped, so appending is safe).
    await store.append(runId, [
      { type: 'approval-request', data: { approvalId: 'a-paths', gate: 'risky-path', reason: 'LICENSE is protected' } },
      { type: 'approval-request', data: { approvalId: 'a-pr', gate: 'pr-open', reason: 'open a pull request' } },
    ]);
    const paths = page.getByRole('group', { name: 'approval a-paths' });
    const pullRequest = page.getByRole('group', { name: 'approval a-pr' });
    await paths.getByRole('button', { name: 'Approve' }).click();
    await paths.waitFor({ state: 'detached', timeout: slowMachineMs });
    await pullRequest.getByRole('button', { name: 'Reject' }).click();
    await pullRequest.waitFor({ state: 'detached', timeout: slowMachineMs });
    const decisions = (await journal(runId))
      .filter((event) => event.type === 'approval-decision')
      .map((event) => event.data);
    expect(decisions).toEqual([
      expect.objectContaining({ approvalId: 'a-paths', decision: 'approve' }),
      expect.objectContaining({ approvalId: 'a-pr', decision: 'reject' }),
    ]);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.run-header .badge', { hasText: 'cancelled' }).waitFor({ timeout: slowMachineMs });
    expect((await journal(runId)).at(-1)).toMatchObject({ type: 'run-end', data: { status: 'cancelled' } });
  });

  it('reconnects the live tail after the server restarts, without gaps or duplicates', async () => {
    // A task no earlier test ran: the response cache would otherwise answer the Builder at once, without the hold.
    const runId = await startRun('add a README section about reconnecting');
    pausedRunId = runId;
    await page.getByText('live tail: live').waitFor();
    const port = server.port;
    await server.stop();
    await page.getByText('live tail: reconnecting').waitFor();
    // While the server is down the run goes on (its process is not the server's). Once its Builder holds its model
    // call, an operator pauses it from elsewhere (a plain append, as the CLI does: the run's own next append folds it
    // in), and the run ends its turn.
    await until(
      async () =>
        (await journal(runId)).find((event) => event.type === 'model-call-start' && event.stepId === 'turn-2'),
      'the Builder holding its call',
    );
    await store.append(runId, [{ type: 'run-pause', data: { reason: 'operator', detail: 'from the CLI' } }]);
    const stepEnd = await until(
      async () => (await journal(runId)).find((event) => event.type === 'step-end' && event.stepId === 'turn-2'),
      'the end of the Builder turn',
    );
    server = await startConsoleServer({ dataDir, port, args: ['--fault', 'builder:hold'] });
    await page.getByText('live tail: live').waitFor({ timeout: slowMachineMs });
    await page.getByRole('tab', { name: 'log' }).click();
    const lastSeen = page.getByRole('list', { name: 'event log' }).getByText(`#${stepEnd.seq}`, { exact: true });
    await lastSeen.waitFor();
    const shown = (await page.getByRole('list', { name: 'event log' }).getByRole('listitem').allTextContents()).map(
      (text) => Number(/^#(\d+)/.exec(text)?.[1]),
    );
    const stored = (await journal(runId)).map((event) => event.seq);
    expect(shown).toEqual(stored);
    expect(await badge().textContent()).toBe('paused');
  });

  it('fits a phone screen (390×844) without sideways scrolling', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/#/runs`);
    await phone.getByRole('table').waitFor();
    const runsWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.getByRole('table').getByRole('link').first().click();
    await phone.getByRole('tab', { name: 'debate' }).waitFor();
    const runWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
    const pause = await phone.getByRole('button', { name: 'Pause' }).boundingBox();
    await phone.close();
    expect(runsWidth).toBeLessThanOrEqual(390);
    expect(runWidth).toBeLessThanOrEqual(390);
    expect(pause!.x + pause!.width).toBeLessThanOrEqual(390);
  });

  it('reaches the controls with the keyboard alone', async () => {
    await page.goto(`${server.url}/#/runs/${encodeURIComponent(pausedRunId)}`);
    await page.locator('.paused').waitFor();
    await page.getByRole('tab', { name: 'debate' }).waitFor();
    const reached: string[] = [];
    for (let presses = 0; presses < 25; presses += 1) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          return `${element?.tagName.toLowerCase()}:${element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? ''}`;
        }),
      );
    }
    expect(reached).toContain('a:Skip to content');
    expect(reached).toContain('button:Resume');
    expect(reached.some((entry) => entry.startsWith('textarea'))).toBe(true);
    expect(reached).toContain('button:debate');
  });
});
