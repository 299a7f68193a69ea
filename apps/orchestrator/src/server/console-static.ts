import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** Where `npm run build:console` writes the console (apps/console/dist). */
export const consoleDistDir = fileURLToPath(new URL('../../../console/dist', import.meta.url));

/** True when the console is built (its index.html exists). */
export function isConsoleBuilt(distDir = consoleDistDir): boolean {
  return existsSync(join(distDir, 'index.html'));
}

function consoleMissingPage(): string {
  return [
    '<!doctype html><meta charset="utf-8"><title>Orchestrator console not built</title>',
    '<h1>The console is not built</h1>',
    '<p>Build it once with <code>npm run build:console</code>, then reload. The API is served under <code>/api</code>.</p>',
  ].join('\n');
}

/**
 * The server's front door: `/api/*` goes to the API app (bearer token), everything else serves the built console
 * (no token: the page asks for it and sends it only to `/api`). Unknown console paths get `index.html`, so reloading a
 * deep link works; a console that is not built answers with how to build it.
 */
export function withConsole(api: Hono, options: { distDir?: string } = {}): Hono {
  const distDir = options.distDir ?? consoleDistDir;
  const app = new Hono();
  app.all('/api/*', (context) => api.fetch(context.req.raw, context.env));
  app.all('/api', (context) => api.fetch(context.req.raw, context.env));
  app.use('*', async (context, next) => {
    context.header('x-content-type-options', 'nosniff');
    context.header('referrer-policy', 'no-referrer');
    await next();
  });
  // Created on first use, so a console built after the server started is served without a restart.
  let files: ReturnType<typeof serveStatic> | undefined;
  let index: ReturnType<typeof serveStatic> | undefined;
  app.use('*', (context, next) => {
    if (!isConsoleBuilt(distDir)) return next();
    files ??= serveStatic({ root: distDir });
    return files(context, next);
  });
  app.get('*', async (context) => {
    if (!isConsoleBuilt(distDir)) return context.html(consoleMissingPage(), 503);
    index ??= serveStatic({ root: distDir, path: 'index.html' });
    return (await index(context, async () => {})) ?? context.html(consoleMissingPage(), 503);
  });
  return app;
}
