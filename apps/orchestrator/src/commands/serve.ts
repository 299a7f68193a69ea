import { isIP } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption } from '../cli-options.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput } from '../output/terminal.ts';
import { isConsoleBuilt } from '../server/console-static.ts';
import { openApiServer } from '../server/open-api-server.ts';
import { otlpConfigFromEnv } from '../server/otlp-span-export.ts';
import { startSpanExportWatcher } from '../server/span-export-watcher.ts';
import { defaultApiHost, defaultApiPort } from '../server/start-api-server.ts';

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError({
      code: 'cli-invalid-option',
      message: `--port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}.`,
      hint: `Pass e.g. --port ${defaultApiPort} (0 picks a free port).`,
    });
  }
  return port;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

interface ServeOptions {
  port: number;
  host: string;
  corsOrigin?: string[];
  allowHost?: string[];
  repo?: string;
  fault: string[];
  openPr?: boolean;
  showToken?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('serve the HTTP API and live event stream of the runs (bearer token; loopback only unless --host)')
    .option('--port <port>', `port to listen on (0 = any free port)`, parsePort, defaultApiPort)
    .option('--host <host>', 'interface to bind; a non-loopback address exposes the API to the network', defaultApiHost)
    .option('--cors-origin <origin...>', 'browser origins allowed to call the API (e.g. the console dev server)')
    .option(
      '--allow-host <name...>',
      'host names clients may use in the Host header besides the loopback ones and --host (others get 421)',
    )
    .option('--repo <path>', 'repository of runs started from the console (default: a fresh demo repository per run)')
    .option(
      '--fault <role:fault>',
      'inject a scripted-model fault into runs started from the console (testing and demos), e.g. builder:hold',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--open-pr', 'runs started from the console end in a pull request (policy and review gates, provenance)')
    .option('--show-token', 'print the API token and the console link with it again');
  addJsonOption(command);
  command.action(async (options: ServeOptions) => {
    const output = createOutput(options.json === true);
    const loaded = await loadConfig(process.cwd(), process.env);
    const otlp = otlpConfigFromEnv(loaded.env);
    const opened = await openApiServer({
      dataDir: loaded.dataDir,
      ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
      host: options.host,
      port: options.port,
      ...(options.corsOrigin === undefined ? {} : { corsOrigins: options.corsOrigin }),
      ...(options.allowHost === undefined ? {} : { allowedHosts: options.allowHost }),
      ...(otlp === undefined ? {} : { otlp }),
      console: true,
      launcher: {
        env: process.env,
        ...(options.repo === undefined ? {} : { defaultRepo: resolvePath(options.repo) }),
        runArgs: [
          ...(options.openPr === true ? ['--open-pr'] : []),
          ...options.fault.flatMap((fault) => ['--fault', fault]),
        ],
        onProblem: (runId, message) => process.stderr.write(`${pc.yellow('warning')} run ${runId}: ${message}\n`),
      },
    });
    const { server, token } = opened;
    const consoleBuilt = isConsoleBuilt();
    const store =
      loaded.config.databaseUrl === undefined ? `${loaded.dataDir}/journal.db` : 'PostgreSQL (DATABASE_URL)';
    output.data(
      {
        url: server.url,
        host: server.host,
        port: server.port,
        store,
        otlpTracesUrl: otlp?.url ?? null,
        // The token itself is never part of machine output (it would land in logs); read it from tokenPath.
        tokenPath: token.path,
        tokenCreated: token.created,
        consoleUrl: `${server.url}/`,
        consoleBuilt,
      },
      () => {
        output.line(`${pc.bold('orchestrator API')} listening on ${server.url} ${pc.dim(`(store: ${store})`)}`);
        if (token.created || options.showToken === true) {
          output.line(`API token (${token.created ? 'shown once, ' : ''}stored in ${token.path} with mode 0600):`);
          output.line(`  ${token.token}`);
          // The fragment never reaches a server; the console takes the token from it once and clears the address bar.
          output.line(`${pc.bold('Console')}: ${server.url}/#token=${encodeURIComponent(token.token)}`);
        } else {
          output.line(`API token: in ${token.path} (print it again with --show-token)`);
          output.line(`${pc.bold('Console')}: ${server.url}/`);
        }
        if (!consoleBuilt) {
          output.line(pc.yellow('The console is not built yet: run `npm run build:console`, then reload the page.'));
        }
        output.line(pc.dim(`Try: curl -H "Authorization: Bearer $(cat ${token.path})" ${server.url}/api/runs`));
      },
    );
    const watcher =
      otlp === undefined
        ? undefined
        : startSpanExportWatcher({
            store: opened.store,
            otlp,
            since: new Date().toISOString(),
            onError: (runId, error) =>
              process.stderr.write(`${pc.yellow('warning')} span export of run ${runId} failed: ${String(error)}\n`),
          });
    if (!isLoopback(server.host)) {
      process.stderr.write(
        `${pc.yellow('warning')} the API is bound to ${server.host}: anyone who can reach this address and has the token can control runs.\n`,
      );
      if (options.allowHost === undefined && (server.host === '0.0.0.0' || server.host === '::')) {
        process.stderr.write(
          `${pc.yellow('warning')} requests must name a loopback address in their Host header; add --allow-host <name> for the names clients use to reach this machine.\n`,
        );
      }
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    watcher?.stop();
    await opened.close();
  });
}
