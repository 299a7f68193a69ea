/** A journal event as the API serves it (the persisted envelope). */
export interface ConsoleEvent {
  runId: string;
  seq: number;
  type: string;
  stepId?: string;
  at: string;
  data: Record<string, unknown>;
}

export type RunStatus = 'running' | 'paused' | 'converged' | 'failed' | 'cancelled' | 'unknown';

export interface DebateEntry {
  seq: number;
  turn: number;
  role: string;
  kind: string;
  summary: string;
  claims: string[];
  evidence: Array<{ label: string; detail?: string }>;
  risks: Array<{ severity: string; description: string; fix?: string }>;
  rubric: Array<{ criterion: string; score: number }>;
  verdict?: string;
  /** Set when a rerun of the same step produced this entry; the earlier outcome is kept. */
  attempt: number;
  stepId?: string;
}

export interface StepRow {
  stepId: string;
  role: string;
  kind: string;
  turn: number;
  status: string;
  startedAt: string;
  endedAt?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  attempt: number;
}

export interface TestRunRow {
  seq: number;
  phase: string;
  command: string;
  exitCode: number;
  summary: string;
  durationMs: number;
}

export interface SpendBreakdown {
  key: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  calls: number;
}

export interface RunView {
  runId: string;
  task: string;
  repo: string;
  status: RunStatus;
  pauseReason?: string;
  pauseDetail?: string;
  maxUsd?: number;
  spendUsd: number;
  startedAt?: string;
  endedAt?: string;
  lastSeq: number;
  /** The latest instruction for every role (an operator's edit of the task). */
  instruction?: string;
  /** The latest instruction edit per role, for edits aimed at one role's prompts. */
  roleInstructions: Record<string, string>;
  instructionEdits: Array<{ seq: number; instruction: string; at: string; role?: string }>;
  /** The roles bound in the run, in order. */
  roles: string[];
  debate: DebateEntry[];
  steps: StepRow[];
  diff?: string;
  tests: TestRunRow[];
  pr?: { number: number; url?: string; headBranch?: string };
  approvals: Array<{ id: string; reason: string; status: 'pending' | 'approved' | 'rejected'; seq: number }>;
  byRole: SpendBreakdown[];
  byModel: SpendBreakdown[];
  log: Array<{ seq: number; at: string; type: string; text: string }>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function evidenceLabel(item: Record<string, unknown>): { label: string; detail?: string } {
  const path = text(item.path ?? item.file);
  const start = item.startLine ?? item.lineStart ?? record(item.lines).start;
  const end = item.endLine ?? item.lineEnd ?? record(item.lines).end;
  const chunk = text(item.chunkId);
  const kind = text(item.kind ?? item.type);
  const location = path ? `${path}${start ? `:${start}${end && end !== start ? `-${end}` : ''}` : ''}` : '';
  const label = [kind, location, chunk ? `chunk ${chunk}` : ''].filter(Boolean).join(' · ') || 'evidence';
  const detail = text(item.note ?? item.description ?? item.excerpt ?? item.output);
  return detail ? { label, detail } : { label };
}

function addSpend(rows: Map<string, SpendBreakdown>, key: string, usage: Record<string, unknown>, cost: number): void {
  const row = rows.get(key) ?? { key, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, calls: 0 };
  row.inputTokens += num(usage.inputTokens);
  row.outputTokens += num(usage.outputTokens);
  row.cachedTokens += num(usage.cacheReadTokens);
  row.costUsd += cost;
  row.calls += 1;
  rows.set(key, row);
}

function summarizeEvent(event: ConsoleEvent): string {
  const data = event.data;
  switch (event.type) {
    case 'run-start':
      return `run started: ${text(data.task)}`;
    case 'step-start':
      return `${text(data.role)} ${text(data.kind)} (turn ${num(data.turn)})`;
    case 'model-call-end':
      return `${text(data.provider)}/${text(data.model)} ${num(record(data.usage).inputTokens)} in / ${num(record(data.usage).outputTokens)} out · $${num(data.costUsd).toFixed(4)}${data.cached ? ' (cached)' : ''}`;
    case 'model-call-error':
      return `model call failed: ${text(data.code)} ${text(data.message)}`;
    case 'message':
      return `${text(data.role)}: ${text(record(data.message).type ?? record(data.message).kind)}`;
    case 'patch-apply':
      return data.ok ? 'edits applied' : 'edits failed to apply';
    case 'test-run':
      return `tests (${text(data.phase)}): exit ${num(data.exitCode)} ${text(data.summary)}`;
    case 'run-pause':
      return `paused: ${text(data.reason)} ${text(data.detail)}`;
    case 'run-resume':
      return 'resumed';
    case 'run-end':
      return `run ended: ${text(data.status)}`;
    case 'pr-open':
      return `pull request #${num(data.number)} opened`;
    default:
      return event.type;
  }
}

/** Projects a run's journal into everything the run view shows. Pure: the same events always give the same view. */
export function projectRun(runId: string, events: readonly ConsoleEvent[]): RunView {
  const view: RunView = {
    runId,
    task: '',
    repo: '',
    status: 'unknown',
    spendUsd: 0,
    lastSeq: 0,
    instructionEdits: [],
    roleInstructions: {},
    roles: [],
    debate: [],
    steps: [],
    tests: [],
    approvals: [],
    byRole: [],
    byModel: [],
    log: [],
  };
  const steps = new Map<string, StepRow>();
  const attempts = new Map<string, number>();
  const byRole = new Map<string, SpendBreakdown>();
  const byModel = new Map<string, SpendBreakdown>();
  const callRoles = new Map<string, string>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const data = record(event.data);
    view.lastSeq = Math.max(view.lastSeq, event.seq);
    view.log.push({ seq: event.seq, at: event.at, type: event.type, text: summarizeEvent(event) });
    switch (event.type) {
      case 'run-start': {
        view.task = text(data.task);
        view.repo = text(data.repo);
        view.status = 'running';
        view.startedAt = event.at;
        view.roles = list(data.roles)
          .map((binding) => text(record(binding).role))
          .filter(Boolean);
        if (typeof data.maxUsd === 'number') view.maxUsd = data.maxUsd;
        break;
      }
      case 'step-start': {
        const stepId = event.stepId ?? text(data.stepId) ?? `seq-${event.seq}`;
        const attempt = (attempts.get(stepId) ?? 0) + 1;
        attempts.set(stepId, attempt);
        steps.set(`${stepId}#${attempt}`, {
          stepId,
          role: text(data.role),
          kind: text(data.kind),
          turn: num(data.turn),
          status: 'running',
          startedAt: event.at,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          attempt,
        });
        break;
      }
      case 'step-end': {
        const stepId = event.stepId ?? text(data.stepId);
        const row = steps.get(`${stepId}#${attempts.get(stepId) ?? 1}`);
        if (row) {
          row.status = text(data.status) || 'done';
          row.endedAt = event.at;
        }
        break;
      }
      case 'model-call-start':
        callRoles.set(text(data.callId), text(data.role));
        break;
      case 'model-call-end': {
        const usage = record(data.usage);
        const cost = num(data.costUsd);
        view.spendUsd += cost;
        const role = text(data.role) || callRoles.get(text(data.callId)) || 'unknown';
        addSpend(byRole, role, usage, cost);
        addSpend(byModel, `${text(data.provider)}/${text(data.model)}`, usage, cost);
        const stepId = event.stepId;
        const row = stepId ? steps.get(`${stepId}#${attempts.get(stepId) ?? 1}`) : undefined;
        if (row) {
          row.inputTokens += num(usage.inputTokens) + num(usage.cacheReadTokens) + num(usage.cacheWriteTokens);
          row.outputTokens += num(usage.outputTokens);
          row.costUsd += cost;
        }
        break;
      }
      case 'message': {
        const message = record(data.message);
        const rubric = record(message.rubric);
        const stepId = event.stepId;
        view.debate.push({
          seq: event.seq,
          turn: num(data.turn),
          role: text(data.role),
          kind: text(message.type ?? message.kind),
          summary: text(message.summary ?? message.rationale ?? message.plan ?? message.title),
          claims: list(message.claims).map((claim) => text(record(claim).text ?? record(claim).statement ?? claim)),
          evidence: list(message.evidence).map((item) => evidenceLabel(record(item))),
          risks: list(message.risks).map((risk) => {
            const entry = record(risk);
            const fix = text(entry.fix);
            return { severity: text(entry.severity), description: text(entry.description), ...(fix ? { fix } : {}) };
          }),
          rubric: Object.entries(rubric)
            .filter(([, score]) => typeof score === 'number' || typeof record(score).score === 'number')
            .map(([criterion, score]) => ({
              criterion,
              score: typeof score === 'number' ? score : num(record(score).score),
            })),
          ...(message.verdict === undefined ? {} : { verdict: text(message.verdict) }),
          attempt: stepId ? (attempts.get(stepId) ?? 1) : 1,
          ...(stepId ? { stepId } : {}),
        });
        break;
      }
      case 'patch-apply':
        if (typeof data.diff === 'string') view.diff = data.diff;
        break;
      case 'test-run':
        view.tests.push({
          seq: event.seq,
          phase: text(data.phase),
          command: text(data.command),
          exitCode: num(data.exitCode),
          summary: text(data.summary),
          durationMs: num(data.durationMs),
        });
        break;
      case 'pr-open':
        view.pr = {
          number: num(data.number),
          ...(typeof data.url === 'string' ? { url: data.url } : {}),
          ...(typeof data.headBranch === 'string' ? { headBranch: data.headBranch } : {}),
        };
        break;
      case 'approval-request':
        view.approvals.push({
          id: text(data.approvalId ?? data.id ?? event.seq),
          reason: text(data.reason),
          status: 'pending',
          seq: event.seq,
        });
        break;
      case 'approval-decision': {
        const approval = view.approvals.find((entry) => entry.id === text(data.approvalId ?? data.id));
        if (approval) approval.status = data.approved === true || data.decision === 'approve' ? 'approved' : 'rejected';
        break;
      }
      case 'run-pause':
        view.status = 'paused';
        view.pauseReason = text(data.reason);
        view.pauseDetail = text(data.detail);
        break;
      case 'run-resume': {
        view.status = 'running';
        delete view.pauseReason;
        delete view.pauseDetail;
        const changes = record(data.changes);
        if (typeof changes.instruction === 'string') {
          view.instruction = changes.instruction;
          view.instructionEdits.push({ seq: event.seq, instruction: changes.instruction, at: event.at });
        }
        break;
      }
      case 'instruction-edit':
        if (typeof data.instruction === 'string') {
          const role = typeof data.role === 'string' ? data.role : undefined;
          if (role === undefined) view.instruction = data.instruction;
          else view.roleInstructions[role] = data.instruction;
          view.instructionEdits.push({
            seq: event.seq,
            instruction: data.instruction,
            at: event.at,
            ...(role === undefined ? {} : { role }),
          });
        }
        break;
      case 'run-end': {
        const status = text(data.status);
        view.status = status === 'converged' || status === 'failed' || status === 'cancelled' ? status : 'unknown';
        view.endedAt = event.at;
        if (typeof data.diff === 'string') view.diff = data.diff;
        break;
      }
    }
  }
  view.steps = [...steps.values()];
  view.byRole = [...byRole.values()].sort((a, b) => b.costUsd - a.costUsd);
  view.byModel = [...byModel.values()].sort((a, b) => b.costUsd - a.costUsd);
  return view;
}
