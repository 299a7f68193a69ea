import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';

/** Addresses every interface of a machine answers on: they are never a target of DNS rebinding. */
const wildcardHosts = new Set(['0.0.0.0', '::', '']);

/** The host name of a Host header or URL host (`[::1]:7410` → `::1`, `API.Example.` → `api.example`). */
export function hostNameOf(host: string): string | undefined {
  try {
    const name = new URL(`http://${host}`).hostname.toLowerCase();
    return name.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/** True for `localhost`, any 127.0.0.0/8 address and `::1`. */
export function isLoopbackHostName(name: string): boolean {
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/**
 * The host names the API answers to besides the loopback ones: the interface it is bound to (unless that is a
 * wildcard such as 0.0.0.0) and the names the operator allowed (`serve --allow-host`).
 */
export function allowedHostNames(boundHost: string, extra: readonly string[] = []): string[] {
  const names = [boundHost, ...extra].flatMap((host) => {
    const name = hostNameOf(host) ?? hostNameOf(`[${host}]`);
    return name === undefined || wildcardHosts.has(name) ? [] : [name];
  });
  return [...new Set(names)];
}

function misdirected(): Response {
  return Response.json(
    {
      error: {
        code: 'api-host-not-allowed',
        message: 'This server does not answer to the host name in the Host header.',
        hint: 'Reach the API at 127.0.0.1 or localhost, or start `orchestrator serve --allow-host <name>` with the name clients use.',
      },
    },
    { status: 421 },
  );
}

/**
 * Refuses (421) a request whose Host header, or URL host, is neither a loopback name nor an allowed one: a web page
 * that rebinds its own domain name to 127.0.0.1 still sends its domain as the Host, so it never reaches the API.
 */
export function hostAllowList(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed.map((host) => hostNameOf(host) ?? host.toLowerCase()));
  const accepts = (host: string | undefined) => {
    const name = host === undefined ? undefined : hostNameOf(host);
    return name !== undefined && (isLoopbackHostName(name) || names.has(name));
  };
  return async (context, next) => {
    const header = context.req.header('host');
    if ((header !== undefined && !accepts(header)) || !accepts(new URL(context.req.url).host)) return misdirected();
    await next();
  };
}
