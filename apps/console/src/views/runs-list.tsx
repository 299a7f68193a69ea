import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { type ApiClient, ApiError, type RunListItem } from '../api/api-client.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { duration, usd } from '../format.ts';

export function RunsList({ client, onAuthError }: { client: ApiClient; onAuthError: (message: string) => void }) {
  const [runs, setRuns] = useState<RunListItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState('all');
  const [query, setQuery] = useState('');
  const [task, setTask] = useState('');
  const [feature, setFeature] = useState('');
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      try {
        const result = await client.listRuns();
        if (!cancelled) {
          setRuns(result.runs);
          setError(undefined);
        }
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 401) onAuthError('The token was rejected. Enter it again.');
        else if (!cancelled) setError((caught as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, onAuthError]);

  const visible = useMemo(
    () =>
      (runs ?? []).filter(
        (run) =>
          (status === 'all' || run.status === status) &&
          (query === '' || `${run.task} ${run.repo} ${run.runId}`.toLowerCase().includes(query.toLowerCase())),
      ),
    [runs, status, query],
  );

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!task.trim()) return;
    setStarting(true);
    try {
      const { runId } = await client.startRun(task.trim(), feature.trim() ? { feature: feature.trim() } : {});
      window.location.hash = `#/runs/${encodeURIComponent(runId)}`;
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setStarting(false);
    }
  };

  return (
    <section aria-labelledby="runs-heading">
      <h1 id="runs-heading">Runs</h1>
      <form className="new-run" onSubmit={start}>
        <label htmlFor="new-task">New run on the demo repository</label>
        <input
          id="new-task"
          value={task}
          placeholder="add a README section"
          onChange={(event) => setTask(event.target.value)}
        />
        <label htmlFor="new-feature">Feature (optional, groups spend)</label>
        <input
          id="new-feature"
          value={feature}
          placeholder="docs"
          onChange={(event) => setFeature(event.target.value)}
        />
        <button type="submit" disabled={starting}>
          {starting ? 'Starting…' : 'Start run'}
        </button>
      </form>
      <search className="filters">
        <label>
          Status{' '}
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            {['all', 'running', 'paused', 'converged', 'failed', 'cancelled'].map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        <label>
          Filter{' '}
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="task, repository, id"
          />
        </label>
      </search>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {runs === undefined ? <p aria-busy="true">Loading runs…</p> : null}
      {runs !== undefined && visible.length === 0 ? (
        <p className="empty">
          {runs.length === 0
            ? 'No runs yet. Start one above or with `orchestrator run`.'
            : 'No run matches the filters.'}
        </p>
      ) : null}
      {visible.length > 0 ? (
        <table className="runs">
          <thead>
            <tr>
              <th scope="col">status</th>
              <th scope="col">task</th>
              <th scope="col" className="wide-only">
                repository
              </th>
              <th scope="col">spend / cap</th>
              <th scope="col" className="wide-only">
                duration
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((run) => (
              <tr key={run.runId}>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  <a href={`#/runs/${encodeURIComponent(run.runId)}`}>{run.task || run.runId}</a>
                </td>
                <td className="wide-only mono">{run.repo}</td>
                <td>
                  {usd(run.spendUsd)} / {run.maxUsd ? usd(run.maxUsd) : 'no cap'}
                </td>
                <td className="wide-only">
                  {duration(run.createdAt, run.status === 'running' ? undefined : run.updatedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
