import { useEffect, useState } from 'react';
import type { ApiClient, SpendRow } from '../api/api-client.ts';
import { SpendChart } from '../components/spend-chart.tsx';

/** Spend per feature (a run, or runs sharing a label), with a chart. */
export function SpendView({ client }: { client: ApiClient }) {
  const [rows, setRows] = useState<SpendRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    client
      .spendByFeature()
      .then((result) => setRows(result.features))
      .catch((caught: unknown) => setError((caught as Error).message));
  }, [client]);
  return (
    <section aria-labelledby="spend-heading">
      <h1 id="spend-heading">Spend</h1>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {rows === undefined && !error ? <p aria-busy="true">Loading spend…</p> : null}
      {rows ? <SpendChart title="Spend by feature" rows={rows} /> : null}
    </section>
  );
}
