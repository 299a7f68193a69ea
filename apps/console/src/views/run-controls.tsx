import { type FormEvent, useState } from 'react';
import type { ApiClient } from '../api/api-client.ts';
import type { RunView } from '../state/project-run.ts';

/** Pause, edit the instruction, resume, approve or reject — each a call to the API, each reported inline. */
export function RunControls({ client, view }: { client: ApiClient; view: RunView }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [instruction, setInstruction] = useState('');
  const [role, setRole] = useState('');
  const act = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setNotice(undefined);
    try {
      await action();
      setNotice({ kind: 'ok', text: `${label}: requested` });
    } catch (caught) {
      setNotice({ kind: 'error', text: `${label} failed: ${(caught as Error).message}` });
    } finally {
      setBusy(undefined);
    }
  };
  const finished = view.status === 'converged' || view.status === 'failed' || view.status === 'cancelled';
  const submitInstruction = (event: FormEvent) => {
    event.preventDefault();
    if (!instruction.trim()) return;
    const label = role === '' ? 'Edit instruction' : `Edit the ${role}'s instruction`;
    void act(label, () => client.editInstruction(view.runId, instruction.trim(), role || undefined)).then(() =>
      setInstruction(''),
    );
  };
  return (
    <section className="controls" aria-label="run controls">
      <div className="control-row">
        <button
          type="button"
          disabled={busy !== undefined || view.status !== 'running'}
          onClick={() => act('Pause', () => client.pause(view.runId))}
        >
          Pause
        </button>
        <button
          type="button"
          disabled={busy !== undefined || view.status !== 'paused'}
          onClick={() => act('Resume', () => client.resume(view.runId))}
        >
          Resume
        </button>
      </div>
      {view.status === 'paused' ? (
        <p className="hint">
          While paused you can edit the instruction, rerun a step (Steps tab) and approve or reject; Resume carries on.
        </p>
      ) : null}
      {view.status === 'paused' ? (
        <form className="instruction-form" onSubmit={submitInstruction}>
          <label htmlFor="instruction">Edit the instruction of this paused run</label>
          <textarea
            id="instruction"
            rows={3}
            value={instruction}
            placeholder={(role === '' ? undefined : view.roleInstructions[role]) ?? view.instruction ?? view.task}
            onChange={(event) => setInstruction(event.target.value)}
          />
          <label htmlFor="instruction-role">For</label>
          <select id="instruction-role" value={role} onChange={(event) => setRole(event.target.value)}>
            <option value="">every role</option>
            {view.roles.map((name) => (
              <option key={name} value={name}>
                the {name} only
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy !== undefined || instruction.trim() === ''}>
            Save instruction
          </button>
        </form>
      ) : null}
      {view.approvals
        .filter((approval) => approval.status === 'pending')
        .map((approval) => (
          <fieldset className="approval" key={approval.id} aria-label={`approval ${approval.id}`}>
            <p>
              <strong>Approval needed:</strong> {approval.reason}
            </p>
            <button
              type="button"
              disabled={busy !== undefined}
              onClick={() => act('Approve', () => client.decide(view.runId, approval.id, true))}
            >
              Approve
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy !== undefined}
              onClick={() => act('Reject', () => client.decide(view.runId, approval.id, false))}
            >
              Reject
            </button>
          </fieldset>
        ))}
      {finished ? <p className="hint">This run has ended: its journal, diff and spend stay here.</p> : null}
      {notice ? (
        <p role="status" className={notice.kind === 'error' ? 'error' : 'ok'}>
          {notice.text}
        </p>
      ) : null}
    </section>
  );
}
