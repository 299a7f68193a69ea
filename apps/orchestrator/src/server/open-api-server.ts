import { NotifyingJournalStore, openJournalStore } from '@orchestrator/store';
import { type ApiToken, loadOrCreateApiToken } from './api-token.ts';
import { createApiApp } from './create-api-app.ts';
import type { OtlpExportConfig } from './otlp-span-export.ts';
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
}

export interface OpenedApiServer {
  server: RunningApiServer;
  /** The store the server reads (wrapped so in-process appends stream at once). */
  store: NotifyingJournalStore;
  token: ApiToken;
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
  try {
    const app = createApiApp({
      store,
      notifier: store,
      token: token.token,
      ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
      ...(options.otlp === undefined ? {} : { otlp: options.otlp }),
    });
    const server = await startApiServer({
      app,
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    return {
      server,
      store,
      token,
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
