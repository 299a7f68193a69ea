import { NotifyingJournalStore, openJournalStore } from '@orchestrator/store';
import { type ApiToken, loadOrCreateApiToken } from './api-token.ts';
import { withConsole } from './console-static.ts';
import { createApiApp } from './create-api-app.ts';
import type { OtlpExportConfig } from './otlp-span-export.ts';
import { RunLauncher, type RunLauncherOptions } from './run-launcher.ts';
import { type RunningApiServer, startApiServer } from './start-api-server.ts';

export interface OpenApiServerOptions {
  /** Data directory: the SQLite journal and the API token live there. */
  dataDir: string;
  /** PostgreSQL URL (DATABASE_URL); the SQLite file when absent. */
  databaseUrl?: string;
  host?: string;
  port?: number;
  corsOrigins?: readonly string[];
  /** OpenTelemetry collector for span export, when configured. */
  otlp?: OtlpExportConfig;
  /** Serve the operator console at `/` (the API stays under `/api`). */
  console?: boolean;
  /** Start and continue runs in child processes for `POST /api/runs` and resume requests. */
  launcher?: Omit<RunLauncherOptions, 'store' | 'dataDir'>;
}

export interface OpenedApiServer {
  server: RunningApiServer;
  /** The store the server reads (wrapped so in-process appends stream at once). */
  store: NotifyingJournalStore;
  token: ApiToken;
  /** The run launcher, when the server starts runs. */
  launcher: RunLauncher | undefined;
  /** Closes the server, then the store. */
  close(): Promise<void>;
}

/** Composition root of `orchestrator serve`: picks the store, loads the token, binds the API. */
export async function openApiServer(options: OpenApiServerOptions): Promise<OpenedApiServer> {
  const token = loadOrCreateApiToken(options.dataDir);
  const store = new NotifyingJournalStore(
    await openJournalStore({
      dataDir: options.dataDir,
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    }),
  );
  const launcher =
    options.launcher === undefined
      ? undefined
      : new RunLauncher({ ...options.launcher, store, dataDir: options.dataDir });
  try {
    const api = createApiApp({
      store,
      notifier: store,
      token: token.token,
      ...(launcher === undefined ? {} : { launchRun: launcher.launchRun, onControl: launcher.onControl }),
      ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
      ...(options.otlp === undefined ? {} : { otlp: options.otlp }),
    });
    const app = options.console === true ? withConsole(api) : api;
    const server = await startApiServer({
      app,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    return {
      server,
      store,
      token,
      launcher,
      async close() {
        await server.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
