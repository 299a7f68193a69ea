// Runs @octokit/fixtures-server on 127.0.0.1 in its own process: the recorded scenarios replay through nock, which
// patches node:http, so it must never run inside the test process. Prints the port on stdout once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fixturesServerMiddleware from '@octokit/fixtures-server';
import express from 'express';

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const app = express();
  app.use(fixturesServerMiddleware({ fixturesUrl: `http://127.0.0.1:${port}`, logLevel: 'silent', ttl: 600_000 }));
  server.on('request', app);
  process.stdout.write(`${port}\n`);
});
