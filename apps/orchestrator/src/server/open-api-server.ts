import { NotifyingJournalStore } from '@orchestrator/store';
import { openRuntimeJournalStore } from '../compose/create-runtime.ts';
import { policySecretRedactor } from '../compose/secret-redactor.ts';
import { type ApiToken, loadOrCreateApiToken } from './api-token.ts';
import { withConsole } from './console-static.ts';
import { createApiApp } from './create-api-app.ts';
import { allowedHostNames } from './host-allow-list.ts';
import type { OtlpExportConfig } from './otlp-span-export.ts';
import { RunLauncher, type RunLauncherOptions } from './run-launcher.ts';
import { defaultApiHost, type RunningApiServer, startApiServer } from './start-api-server.ts';

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
  /** Host names clients use besides the loopback ones and `host` (`serve --allow-host`). */
  allowedHosts?: readonly string[];
  /** Largest request body, in bytes; 1 MiB by default. */
  maxBodyBytes?: number;
  /** Event streams open at once; 32 by default. */
  maxStreams?: number;
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
  // The same factory as every command: the data directory private, every event and label redacted before it is stored.
  const store = new NotifyingJournalStore(
    await openRuntimeJournalStore({
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
      allowedHosts: allowedHostNames(options.host ?? defaultApiHost, options.allowedHosts),
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.maxStreams === undefined ? {} : { maxStreams: options.maxStreams }),
      redactor: policySecretRedactor,
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
