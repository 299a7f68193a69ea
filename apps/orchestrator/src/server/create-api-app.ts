import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { SecretRedactor } from '../compose/redacting-journal-store.ts';
import type { ApiAppOptions } from './api-app-options.ts';
import { errorResponse } from './api-errors.ts';
import { addControlRoutes } from './control-routes.ts';
import { hostAllowList } from './host-allow-list.ts';
import { addReadRoutes } from './read-routes.ts';

function unauthorized(): Response {
  return Response.json(
    {
      error: {
        code: 'api-unauthorized',
        message: 'A valid bearer token is required.',
        hint: 'Send `Authorization: Bearer <token>`; `orchestrator serve` printed the token on first start and keeps it in <data dir>/api-token.',
      },
    },
    { status: 401 },
  );
}

/** Largest request body by default: far above the longest task or instruction (20,000 characters). */
export const defaultMaxBodyBytes = 1024 * 1024;

function bodyTooLarge(context: Context): Response {
  return context.json(
    {
      error: {
        code: 'api-body-too-large',
        message: 'The request body is larger than this server accepts.',
        hint: 'Send a shorter body (tasks and instructions are at most 20,000 characters).',
      },
    },
    413,
  );
}

/** Error bodies may echo a path or a field the client sent: they pass the secret scanner before they leave. */
function redactErrorResponses(redactor: SecretRedactor): MiddlewareHandler {
  return async (context, next) => {
    await next();
    if (context.res.status < 400) return;
    const redacted = await redactor(await context.res.clone().text());
    if (redacted.found) context.res = new Response(redacted.text, context.res);
  };
}

/**
 * The orchestrator HTTP API (Hono): every route needs the bearer token and a loopback or allowed Host header, bodies
 * are size-limited and schema-validated, event streams are capped, errors are JSON
 * `{ error: { code, message, hint?, field? } }`. The store and everything else come from the composition root.
 */
export function createApiApp(options: ApiAppOptions): Hono {
  const app = new Hono();
  app.use('*', hostAllowList(options.allowedHosts ?? []));
  if (options.redactor !== undefined) app.use('*', redactErrorResponses(options.redactor));
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    app.use('*', cors({ origin: [...options.corsOrigins], exposeHeaders: ['content-type'] }));
  }
  app.use(
    '*',
    bearerAuth({
      token: options.token,
      noAuthenticationHeader: { message: unauthorized },
      invalidAuthenticationHeader: { message: unauthorized },
      invalidToken: { message: unauthorized },
    }),
  );
  // After authentication: an unauthenticated request is refused before its body is read at all.
  app.use('*', bodyLimit({ maxSize: options.maxBodyBytes ?? defaultMaxBodyBytes, onError: bodyTooLarge }));
  addReadRoutes(app, options);
  addControlRoutes(app, options);
  app.notFound((context) =>
    context.json(
      { error: { code: 'api-route-not-found', message: `No route ${context.req.method} ${context.req.path}.` } },
      404,
    ),
  );
  app.onError(errorResponse);
  return app;
}
