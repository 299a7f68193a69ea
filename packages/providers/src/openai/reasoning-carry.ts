import type { ResponseReasoningItem } from 'openai/resources/responses/responses';
import type { CarriedReasoning } from './responses-translate.ts';

/** How many steps' reasoning is kept; older steps are forgotten (a step's calls are consecutive). */
const keptSteps = 16;
/** How many replies per step. */
const keptReplies = 8;

/**
 * Reasoning items carried across the calls of a step (e.g. a repair re-ask that quotes the previous reply): with
 * `store: false` nothing stays on OpenAI's side, so each reply's reasoning items (with `encrypted_content`) are kept
 * here under the step id and the reply text, and sent back before that reply when a later request of the step
 * repeats it as an assistant turn.
 */
export class ReasoningCarry {
  private readonly steps = new Map<string, Map<string, readonly ResponseReasoningItem[]>>();

  remember(stepId: string | undefined, replyText: string, items: readonly ResponseReasoningItem[]): void {
    if (stepId === undefined || items.length === 0) return;
    const replies = this.steps.get(stepId) ?? new Map<string, readonly ResponseReasoningItem[]>();
    this.steps.delete(stepId);
    this.steps.set(stepId, replies);
    // Only what the input item takes: the id, the summary and the encrypted reasoning.
    replies.set(
      replyText,
      items.map((item) => ({
        type: 'reasoning' as const,
        id: item.id,
        summary: item.summary,
        ...(item.encrypted_content == null ? {} : { encrypted_content: item.encrypted_content }),
      })),
    );
    while (replies.size > keptReplies) replies.delete(replies.keys().next().value as string);
    while (this.steps.size > keptSteps) this.steps.delete(this.steps.keys().next().value as string);
  }

  forStep(stepId: string | undefined): CarriedReasoning {
    return (stepId === undefined ? undefined : this.steps.get(stepId)) ?? new Map();
  }
}
