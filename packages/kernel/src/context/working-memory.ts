import type { JournalEvent } from '@orchestrator/spec';
import type { ContextTurn } from './context-packer.ts';

/** The text of a `message` event's protocol message, as the packer shows it (the message JSON, compact). */
function turnText(message: unknown): string {
  if (typeof message === 'object' && message !== null) {
    const record = message as Record<string, unknown>;
    if (typeof record.summary === 'string' && typeof record.type === 'string') {
      return `${record.type}: ${record.summary}\n${JSON.stringify(message)}`;
    }
  }
  return JSON.stringify(message);
}

/**
 * Working memory: this run's turns, in order. Rebuilt from the journal's `message` events on resume, so it never
 * holds anything the journal does not. Summaries can be attached to older turns (by a summarizer step).
 */
export class WorkingMemory {
  readonly #turns: ContextTurn[] = [];

  /** Working memory of a run from its journal events (`message` events with `{role, turn, message}`). */
  static fromEvents(events: readonly JournalEvent[]): WorkingMemory {
    const memory = new WorkingMemory();
    for (const event of events) {
      if (event.type !== 'message') continue;
      const data = event.data as { role?: unknown; turn?: unknown; message?: unknown };
      if (typeof data.role !== 'string' || typeof data.turn !== 'number') continue;
      memory.add({ turn: data.turn, role: data.role, text: turnText(data.message) });
    }
    return memory;
  }

  /** Adds a turn (a turn number seen again replaces the earlier text: a repaired reply). */
  add(turn: ContextTurn): void {
    const index = this.#turns.findIndex((existing) => existing.turn === turn.turn);
    if (index === -1) this.#turns.push({ ...turn });
    else this.#turns[index] = { ...turn };
    this.#turns.sort((left, right) => left.turn - right.turn);
  }

  /** Attaches a summary to a turn; false when there is no such turn. */
  summarize(turnNumber: number, summary: string): boolean {
    const turn = this.#turns.find((existing) => existing.turn === turnNumber);
    if (turn === undefined) return false;
    turn.summary = summary;
    return true;
  }

  /** The turns, oldest first (copies). */
  turns(): ContextTurn[] {
    return this.#turns.map((turn) => ({ ...turn }));
  }
}
