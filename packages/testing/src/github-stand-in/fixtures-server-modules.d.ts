// The fixtures server and express ship no types for the few calls the fixtures process makes.
declare module '@octokit/fixtures-server' {
  import type { RequestHandler } from 'express';
  export default function fixturesServerMiddleware(options: {
    fixturesUrl: string;
    logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
    ttl: number;
  }): RequestHandler;
}
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export type RequestHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
  interface Application {
    (request: IncomingMessage, response: ServerResponse): void;
    use(handler: RequestHandler): void;
  }
  export default function express(): Application;
}
