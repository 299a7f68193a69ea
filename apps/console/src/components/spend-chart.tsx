import { tokens, usd } from '../format.ts';

export interface ChartRow {
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
}

/** Horizontal bar chart of cost per key, with token counts; plain SVG so it prints and scales on a phone. */
export function SpendChart({ title, rows }: { title: string; rows: readonly ChartRow[] }) {
  if (rows.length === 0) return <p className="empty">No model calls yet.</p>;
  const max = Math.max(...rows.map((row) => row.costUsd), 1e-9);
  const barHeight = 26;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 100 ${rows.length * barHeight}`}
        preserveAspectRatio="none"
        className="chart-bars"
      >
        {rows.map((row, index) => (
          <rect
            key={row.key}
            x="0"
            y={index * barHeight + 4}
            width={Math.max(0.5, (row.costUsd / max) * 100)}
            height={barHeight - 8}
            rx="1"
          />
        ))}
      </svg>
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
