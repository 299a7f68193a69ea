import { type FormEvent, useState } from 'react';

/** Asks once for the API token the server printed on first start; it is kept in this browser's local storage. */
export function TokenGate({ onToken, error }: { onToken: (token: string) => void; error?: string | undefined }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return (
    <main className="token-gate">
      <h1>Orchestrator console</h1>
      <form onSubmit={submit} aria-describedby="token-help">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit">Connect</button>
        <p id="token-help" className="hint">
          <code>orchestrator serve</code> prints the token on first start; <code>orchestrator serve --show-token</code>{' '}
          prints it again.
        </p>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
