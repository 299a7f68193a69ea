import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/api-client.ts';
import { RunView } from './views/run-view.tsx';
import { RunsList } from './views/runs-list.tsx';
import { SpendView } from './views/spend-view.tsx';
import { TokenGate } from './views/token-gate.tsx';

const tokenKey = 'orchestrator.token';

function readRoute(): { name: 'runs' } | { name: 'run'; runId: string } | { name: 'spend' } {
  const hash = window.location.hash.replace(/^#/, '');
  const run = /^\/runs\/([^/]+)/.exec(hash);
  if (run?.[1]) return { name: 'run', runId: decodeURIComponent(run[1]) };
  if (hash.startsWith('/spend')) return { name: 'spend' };
  return { name: 'runs' };
}

/** Takes a token handed over in the URL fragment (never sent to a server) once, then removes it from the address bar. */
function takeTokenFromFragment(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return undefined;
  const token = decodeURIComponent(match[1]);
  window.history.replaceState(null, '', `${window.location.pathname}#/runs`);
  return token;
}

export function App() {
  const [token, setToken] = useState<string | undefined>(
    () => takeTokenFromFragment() ?? window.localStorage.getItem(tokenKey) ?? undefined,
  );
  const [authError, setAuthError] = useState<string | undefined>();
  const [route, setRoute] = useState(readRoute);

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (token) window.localStorage.setItem(tokenKey, token);
  }, [token]);

  const client = useMemo(() => (token ? new ApiClient(window.location.origin, token) : undefined), [token]);
  const onAuthError = useCallback((message: string) => {
    window.localStorage.removeItem(tokenKey);
    setToken(undefined);
    setAuthError(message);
  }, []);

  if (!client) {
    return (
      <TokenGate
        error={authError}
        onToken={(value) => {
          setAuthError(undefined);
          setToken(value);
        }}
      />
    );
  }
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <nav className="top-nav" aria-label="main">
        <span className="brand">Orchestrator</span>
        <a href="#/runs" aria-current={route.name !== 'spend' ? 'page' : undefined}>
          Runs
        </a>
        <a href="#/spend" aria-current={route.name === 'spend' ? 'page' : undefined}>
          Spend
        </a>
        <button type="button" className="small" onClick={() => onAuthError('Signed out.')}>
          Forget token
        </button>
      </nav>
      <main id="content">
        {route.name === 'runs' ? <RunsList client={client} onAuthError={onAuthError} /> : null}
        {route.name === 'run' ? <RunView client={client} runId={route.runId} onAuthError={onAuthError} /> : null}
        {route.name === 'spend' ? <SpendView client={client} /> : null}
      </main>
    </>
  );
}
