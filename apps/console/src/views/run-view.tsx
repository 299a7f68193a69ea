import { useEffect, useMemo, useState } from 'react';
import { type ApiClient, ApiError } from '../api/api-client.ts';
import { startLiveTail, type TailState } from '../api/live-tail.ts';
import { SpendChart } from '../components/spend-chart.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { duration, tokens, usd } from '../format.ts';
import { type ConsoleEvent, projectRun, type RunView as RunViewModel } from '../state/project-run.ts';
import { DebatePanel } from './debate-panel.tsx';
import { RunControls } from './run-controls.tsx';

const tabs = ['debate', 'steps', 'diff', 'tests', 'spend', 'log'] as const;
/** Step kinds the kernel refuses to rerun: their edits would land over later ones. */
const editingKinds = new Set(['implement', 'test']);
type Tab = (typeof tabs)[number];

function StepsTable({ view, client }: { view: RunViewModel; client: ApiClient }) {
  const [notice, setNotice] = useState<string | undefined>();
  if (view.steps.length === 0) return <p className="empty">No step has started yet.</p>;
  const rerun = async (stepId: string) => {
    try {
      await client.rerunStep(view.runId, stepId);
      setNotice(`Rerun of ${stepId} requested; both outcomes stay in the journal.`);
    } catch (caught) {
      setNotice(`Rerun failed: ${(caught as Error).message}`);
    }
  };
  return (
    <>
      <table className="steps">
        <thead>
          <tr>
            <th scope="col">turn</th>
            <th scope="col">role</th>
            <th scope="col">kind</th>
            <th scope="col">status</th>
            <th scope="col">tokens in / out</th>
            <th scope="col">cost</th>
            <th scope="col">
              <span className="visually-hidden">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {view.steps.map((step) => (
            <tr key={`${step.stepId}#${step.attempt}`}>
              <td>{step.turn}</td>
              <td>{step.role}</td>
              <td>
                {step.kind}
                {step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}
              </td>
              <td>{step.status}</td>
              <td>
                {tokens(step.inputTokens)} / {tokens(step.outputTokens)}
              </td>
              <td>{usd(step.costUsd)}</td>
              <td>
                <button
                  type="button"
                  className="small"
                  onClick={() => rerun(step.stepId)}
                  disabled={view.status !== 'paused' || editingKinds.has(step.kind)}
                  title={
                    editingKinds.has(step.kind)
                      ? 'A step that edits files cannot be rerun (its edits would land over later ones)'
                      : view.status === 'paused'
                        ? undefined
                        : 'Pause the run to rerun a step'
                  }
                  aria-label={`rerun step ${step.stepId}`}
                >
                  Rerun
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {notice ? <p role="status">{notice}</p> : null}
    </>
  );
}

function diffLineClass(line: string): string {
  if (line.startsWith('+') && !line.startsWith('+++')) return 'add';
  if (line.startsWith('-') && !line.startsWith('---')) return 'del';
  return line.startsWith('@@') ? 'hunk' : '';
}

function DiffPanel({ diff }: { diff: string | undefined }) {
  if (!diff) return <p className="empty">No change yet.</p>;
  const lines = diff.split('\n').map((line, position) => ({ id: `${position}:${line}`, line }));
  return (
    <pre className="diff">
      {lines.map(({ id, line }) => (
        <span key={id} className={diffLineClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

export function RunView({
  client,
  runId,
  onAuthError,
}: {
  client: ApiClient;
  runId: string;
  onAuthError: (message: string) => void;
}) {
  const [events, setEvents] = useState<ConsoleEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [tail, setTail] = useState<TailState>('connecting');
  const [tab, setTab] = useState<Tab>('debate');

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    setEvents([]);
    setLoaded(false);
    client
      .events(runId)
      .then(({ events: initial }) => {
        if (cancelled) return;
        setEvents(initial);
        setLoaded(true);
        const afterSeq = initial.reduce((max, event) => Math.max(max, event.seq), 0);
        stop = startLiveTail({
          url: client.streamUrl(runId),
          token: client.token,
          afterSeq,
          onEvent: (event) =>
            setEvents((current) => (current.some((known) => known.seq === event.seq) ? current : [...current, event])),
          onState: setTail,
        });
      })
      .catch((caught: unknown) => {
        if (caught instanceof ApiError && caught.status === 401) onAuthError('The token was rejected. Enter it again.');
        else
          setError(
            caught instanceof ApiError && caught.status === 404 ? `No run ${runId}.` : (caught as Error).message,
          );
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client, runId, onAuthError]);

  const view = useMemo(() => projectRun(runId, events), [runId, events]);
  if (error) {
    return (
      <section>
        <p role="alert" className="error">
          {error}
        </p>
        <a href="#/runs">Back to runs</a>
      </section>
    );
  }
  if (!loaded) return <p aria-busy="true">Loading run…</p>;
  return (
    <section aria-labelledby="run-heading" className="run-view">
      <header className="run-header">
        <a href="#/runs" className="back">
          ← Runs
        </a>
        <h1 id="run-heading">{view.instruction ?? view.task}</h1>
        <p className="meta">
          <StatusBadge status={view.status} /> <span className="mono">{view.runId}</span> · {view.repo} ·{' '}
          {usd(view.spendUsd)} of {view.maxUsd ? usd(view.maxUsd) : 'no cap'} · {duration(view.startedAt, view.endedAt)}{' '}
          ·{' '}
          <span className={`tail tail-${tail}`} role="status" aria-live="polite">
            live tail: {tail}
          </span>
        </p>
        {view.pauseReason ? (
          <p className="paused" role="status">
            Paused: <strong>{view.pauseReason}</strong> {view.pauseDetail}
          </p>
        ) : null}
        {view.instruction && view.instruction !== view.task ? <p className="hint">Original task: {view.task}</p> : null}
        {Object.keys(view.roleInstructions).length > 0 ? (
          <ul className="role-instructions" aria-label="instructions for one role">
            {Object.entries(view.roleInstructions).map(([name, text]) => (
              <li key={name}>
                <strong>{name}</strong>: {text}
              </li>
            ))}
          </ul>
        ) : null}
        {view.pr ? (
          <p>
            Pull request{' '}
            {view.pr.url ? (
              <a href={view.pr.url} target="_blank" rel="noreferrer">
                #{view.pr.number}
              </a>
            ) : (
              `#${view.pr.number}`
            )}{' '}
            {view.pr.headBranch ? <span className="mono">{view.pr.headBranch}</span> : null}
          </p>
        ) : null}
      </header>
      <RunControls client={client} view={view} />
      <div role="tablist" aria-label="run details" className="tabs">
        {tabs.map((name) => (
          <button
            key={name}
            role="tab"
            type="button"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            onClick={() => setTab(name)}
          >
            {name}
            {name === 'tests' && view.tests.length > 0 ? ` (${view.tests.length})` : ''}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel">
        {tab === 'debate' ? <DebatePanel entries={view.debate} /> : null}
        {tab === 'steps' ? <StepsTable view={view} client={client} /> : null}
        {tab === 'diff' ? <DiffPanel diff={view.diff} /> : null}
        {tab === 'tests' ? (
          view.tests.length === 0 ? (
            <p className="empty">No test run yet.</p>
          ) : (
            <ul className="tests">
              {view.tests.map((run) => (
                <li key={run.seq} className={run.exitCode === 0 ? 'green' : 'red'}>
                  <strong>{run.phase}</strong> <code>{run.command}</code> → exit {run.exitCode} · {run.summary} ·{' '}
                  {run.durationMs} ms
                </li>
              ))}
            </ul>
          )
        ) : null}
        {tab === 'spend' ? (
          <div className="spend-grid">
            <SpendChart title="Spend by role" rows={view.byRole} />
            <SpendChart title="Spend by model" rows={view.byModel} />
          </div>
        ) : null}
        {tab === 'log' ? (
          <ol className="log" aria-label="event log">
            {view.log.map((line) => (
              <li key={line.seq}>
                <span className="mono">#{line.seq}</span> <span className="mono dim">{line.at.slice(11, 19)}</span>{' '}
                <span className="type">{line.type}</span> {line.text}
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}
