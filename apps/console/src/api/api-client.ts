import type { RunListItem, SpendRow } from '@orchestrator/spec';
import type { ConsoleEvent } from '../state/project-run.ts';

export type { RunListItem, SpendRow } from '@orchestrator/spec';

/** An API error: the server always answers JSON `{ error: { code, message } }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The console's only way to the server: the orchestrator HTTP API, with the bearer token. */
export class ApiClient {
  readonly baseUrl: string;
  readonly token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = token;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network', 'Cannot reach the orchestrator server. Is `orchestrator serve` running?');
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok) {
      throw new ApiError(
        response.status,
        payload.error?.code ?? 'http-error',
        payload.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return payload as T;
  }

  listRuns(): Promise<{ runs: RunListItem[] }> {
    return this.request('GET', '/api/runs');
  }

  events(runId: string, afterSeq = 0): Promise<{ events: ConsoleEvent[] }> {
    return this.request('GET', `/api/runs/${encodeURIComponent(runId)}/events?after=${afterSeq}&limit=100000`);
  }

  streamUrl(runId: string): string {
    return `${this.baseUrl}/api/runs/${encodeURIComponent(runId)}/stream`;
  }

  spendByFeature(): Promise<{ features: SpendRow[] }> {
    return this.request('GET', '/api/spend');
  }

  startRun(task: string, options: { repo?: string; feature?: string } = {}): Promise<{ runId: string }> {
    return this.request('POST', '/api/runs', {
      task,
      ...(options.repo ? { repo: options.repo } : {}),
      ...(options.feature ? { labels: { feature: options.feature } } : {}),
    });
  }

  pause(runId: string, reason = 'Paused from the console.'): Promise<unknown> {
    return this.request('POST', `/api/runs/${encodeURIComponent(runId)}/pause`, { reason });
  }

  resume(runId: string, changes?: { instruction?: string; maxUsd?: number }): Promise<unknown> {
    return this.request('POST', `/api/runs/${encodeURIComponent(runId)}/resume`, changes ? { changes } : {});
  }

  editInstruction(runId: string, instruction: string, role?: string): Promise<unknown> {
    return this.request('POST', `/api/runs/${encodeURIComponent(runId)}/instruction`, {
      instruction,
      ...(role ? { role } : {}),
    });
  }

  rerunStep(runId: string, stepId: string): Promise<unknown> {
    return this.request('POST', `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}/rerun`, {});
  }

  decide(runId: string, approvalId: string, approve: boolean, comment?: string): Promise<unknown> {
    return this.request('POST', `/api/runs/${encodeURIComponent(runId)}/approvals/${encodeURIComponent(approvalId)}`, {
      decision: approve ? 'approve' : 'reject',
      ...(comment ? { comment } : {}),
    });
  }
}
