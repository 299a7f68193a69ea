import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface StartApiServerOptions {
  app: Hono;
  /** Interface to bind; loopback unless the operator asks otherwise. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
}

export interface RunningApiServer {
  /** Base URL, e.g. `http://127.0.0.1:7410`. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and closes the open ones (live streams included). */
  close(): Promise<void>;
}

export const defaultApiHost = '127.0.0.1';
export const defaultApiPort = 7410;

/** Binds the API on Node; resolves once it listens. */
export function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const host = options.host ?? defaultApiHost;
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.app.fetch, hostname: host, port: options.port ?? defaultApiPort },
      (info: AddressInfo) => {
        const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${urlHost}:${info.port}`,
          host: info.address,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
