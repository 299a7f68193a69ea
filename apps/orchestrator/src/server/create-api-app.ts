import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { cors } from 'hono/cors';
import type { ApiAppOptions } from './api-app-options.ts';
import { errorResponse } from './api-errors.ts';
import { addControlRoutes } from './control-routes.ts';
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

/**
 * The orchestrator HTTP API (Hono): every route needs the bearer token, bodies are schema-validated, errors are JSON
 * `{ error: { code, message, hint?, field? } }`. The store and everything else come from the composition root.
 */
export function createApiApp(options: ApiAppOptions): Hono {
  const app = new Hono();
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
