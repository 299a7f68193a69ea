import { SeverityBadge } from '../components/status-badge.tsx';
import type { DebateEntry } from '../state/project-run.ts';

function Entry({ entry }: { entry: DebateEntry }) {
  return (
    <article className={`message role-${entry.role}`} aria-label={`${entry.role} ${entry.kind} turn ${entry.turn}`}>
      <header>
        <strong>{entry.role}</strong> · {entry.kind} · turn {entry.turn}
        {entry.attempt > 1 ? <span className="badge">attempt {entry.attempt}</span> : null}
        {entry.verdict ? <span className={`badge verdict-${entry.verdict}`}>{entry.verdict}</span> : null}
      </header>
      {entry.summary ? <p>{entry.summary}</p> : null}
      {entry.claims.length > 0 ? (
        <details open>
          <summary>Claims ({entry.claims.length})</summary>
          <ul>
            {entry.claims.map((claim, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: items of a recorded message never reorder
              <li key={`${index}-${claim}`}>{claim}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {entry.evidence.length > 0 ? (
        <details>
          <summary>Evidence ({entry.evidence.length})</summary>
          <ul className="evidence">
            {entry.evidence.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: items of a recorded message never reorder
              <li key={`${index}-${item.label}`}>
                <code>{item.label}</code>
                {item.detail ? <pre>{item.detail}</pre> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {entry.risks.length > 0 ? (
        <ul className="risks" aria-label="risks">
          {[...entry.risks]
            .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
            .map((risk, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: items of a recorded message never reorder
              <li key={`${index}-${risk.description}`}>
                <SeverityBadge severity={risk.severity} /> {risk.description}
                {risk.fix ? <span className="fix"> — fix: {risk.fix}</span> : null}
              </li>
            ))}
        </ul>
      ) : null}
      {entry.rubric.length > 0 ? (
        <dl className="rubric">
          {entry.rubric.map((item) => (
            <div key={item.criterion}>
              <dt>{item.criterion}</dt>
              <dd>{item.score}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </article>
  );
}

function severityRank(severity: string): number {
  return ['low', 'medium', 'high', 'critical'].indexOf(severity);
}

/** The debate in order; reruns of the same step are shown side by side with the outcome they replace. */
export function DebatePanel({ entries }: { entries: readonly DebateEntry[] }) {
  if (entries.length === 0) return <p className="empty">No message yet: the first role is thinking.</p>;
  // Every attempt of a step joins the first one's place, so a rerun sits beside the outcome it re-plays even when
  // later turns came in between.
  const groups: DebateEntry[][] = [];
  const byStep = new Map<string, DebateEntry[]>();
  for (const entry of entries) {
    const group = entry.stepId === undefined ? undefined : byStep.get(entry.stepId);
    if (group) group.push(entry);
    else {
      const created = [entry];
      groups.push(created);
      if (entry.stepId !== undefined) byStep.set(entry.stepId, created);
    }
  }
  return (
    <div className="debate">
      {groups.map((group) =>
        group.length === 1 && group[0] ? (
          <Entry key={group[0].seq} entry={group[0]} />
        ) : (
          <section className="side-by-side" key={group[0]?.seq} aria-label="rerun outcomes side by side">
            {group.map((entry) => (
              <Entry key={entry.seq} entry={entry} />
            ))}
          </section>
        ),
      )}
    </div>
  );
}
