import { UserError } from '@orchestrator/spec';
import { scriptedModelPlays, scriptedRepertoire } from '@orchestrator/testing';

/** A role and the model bound to it, as the run will use them. */
export interface BoundRole {
  role: string;
  provider: string;
  model: string;
}

/** One line naming the model of every role, printed before a run starts: nobody should learn it from the bill. */
export function describeModels(roles: readonly BoundRole[]): string {
  const scripted = roles.some((role) => role.provider === 'scripted');
  const list = roles.map((role) => `${role.role} ${role.provider}/${role.model}`).join(', ');
  return scripted
    ? `models: ${list} — the scripted model is the offline test double, not a real model (set ANTHROPIC_API_KEY or OPENAI_API_KEY, or configure a local OpenAI-compatible server; see README "Configuration")`
    : `models: ${list}`;
}

/**
 * With no key every role runs on the scripted model, which plays a fixed repertoire. Any other task is refused here,
 * before a worktree, branch or journal entry exists: a placeholder change that "converges" would be a lie.
 */
export function assertOfflineTaskPlayable(roles: readonly BoundRole[], task: string): void {
  const scripted = roles.filter((role) => role.provider === 'scripted').map((role) => role.role);
  if (scripted.length === 0 || scriptedModelPlays(task)) return;
  throw new UserError({
    code: 'offline-task-unknown',
    message: `No real model is configured (${scripted.join(', ')} ${scripted.length === 1 ? 'runs' : 'run'} on the offline scripted model), and the scripted model cannot do ${JSON.stringify(task)}: it plays only a fixed demo repertoire — ${scriptedRepertoire.map((entry) => `"${entry}"`).join(', ')}.`,
    hint: 'Set ANTHROPIC_API_KEY and/or OPENAI_API_KEY (or point OPENAI_BASE_URL at a local OpenAI-compatible server such as Ollama or vLLM) and run again; `orchestrator plan --dry-run "<task>"` shows which model each role would use. Nothing was created.',
    details: { scriptedRoles: scripted },
  });
}
