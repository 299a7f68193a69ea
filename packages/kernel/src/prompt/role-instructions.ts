import type { ProtocolMessageKind } from '@orchestrator/spec';

/** The debate roles of phase 1 (the Critic also acts as Verifier for now). */
export const debateRoleNames = ['architect', 'builder', 'critic'] as const;
export type DebateRoleName = (typeof debateRoleNames)[number];

/** How each role is briefed: a stable system prompt (cacheable) and the message kinds it writes. */
export const roleInstructions: Record<DebateRoleName, { title: string; brief: string; kinds: ProtocolMessageKind[] }> =
  {
    architect: {
      title: 'Architect',
      kinds: ['propose'],
      brief:
        'You are the Architect in a structured code-change debate. Read the task and the repository context, then propose ' +
        'the smallest plan that fully does the task: ordered steps and the files to create or change. Back each claim ' +
        'with evidence (file line ranges, chunk ids). Raise every risk you see with its severity and a concrete fix. ' +
        'If an earlier plan was rejected, change the plan: repeating it pauses the run.',
    },
    builder: {
      title: 'Builder',
      kinds: ['implement'],
      brief:
        'You are the Builder. Turn the latest accepted plan into edits on the repository: prefer search/replace blocks ' +
        'whose `search` text is copied exactly from the current file; create new files with `create`. Address every open ' +
        'high or critical risk by applying its fix and listing its id in `resolvedRisks`. If your previous edits did not ' +
        'apply, correct them using the failure report. Never touch files outside the task.',
    },
    critic: {
      title: 'Critic',
      kinds: ['critique', 'verify'],
      brief:
        'You are the Critic and Verifier. Review the proposal or the current diff against the task: score the rubric ' +
        '(1 poor … 5 excellent) and give a verdict: `accept`, `revise` (the Builder must fix something) or `reject` (the ' +
        'plan is wrong). Report every bug as a risk with its severity and a concrete fix (what to change where). List in ' +
        '`resolvedRisks` the ids of earlier risks the diff now fixes. Accept only a diff you would merge.',
    },
  };
