import { tokens, usd } from '../format.ts';

export interface ChartRow {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
}

/**
 * Horizontal bar chart of cost per key (of tokens when every call was free, e.g. the scripted model), with the token
 * counts in a table; plain HTML so it reads aloud, prints and reflows on a phone.
 */
export function SpendChart({ title, rows }: { title: string; rows: readonly ChartRow[] }) {
  if (rows.length === 0) return <p className="empty">No model calls yet.</p>;
  const byCost = rows.some((row) => row.costUsd > 0);
  const measure = (row: ChartRow) => (byCost ? row.costUsd : row.inputTokens + row.outputTokens);
  const max = Math.max(...rows.map(measure), 1e-9);
  return (
    <figure className="chart">
      <figcaption>
        {title}
        {byCost ? '' : ' (tokens: every call was free)'}
      </figcaption>
      <ul className="chart-bars" aria-label={`${title}, ${byCost ? 'cost' : 'tokens'}`}>
        {rows.map((row) => (
          <li key={row.key}>
            <span className="bar-label">{row.key}</span>
            <span className="bar-track">
              <span className="bar" style={{ width: `${Math.max(1, (measure(row) / max) * 100)}%` }} />
            </span>
            <span className="bar-value">{byCost ? usd(row.costUsd) : tokens(measure(row))}</span>
          </li>
        ))}
      </ul>
      <table className="chart-table">
        <thead>
          <tr>
            <th scope="col">{title.split(' ').at(-1)}</th>
            <th scope="col">cost</th>
            <th scope="col">input</th>
            <th scope="col">output</th>
            <th scope="col">cached</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.key}</th>
              <td>{usd(row.costUsd)}</td>
              <td>{tokens(row.inputTokens)}</td>
              <td>{tokens(row.outputTokens)}</td>
              <td>{tokens(row.cachedTokens ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
