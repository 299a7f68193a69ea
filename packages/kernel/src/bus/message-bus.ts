import type { JournalEvent } from '@orchestrator/spec';

export type MessageBusListener = (event: JournalEvent) => void;

/**
 * The in-memory bus: every journal event of a run is published here right after it is durably appended, so the CLI
 * can print turns live and roles (or later the SSE server) can follow the debate. Listeners run synchronously; a
 * throwing listener is isolated and never breaks the run.
 */
export class MessageBus {
  private readonly listeners = new Set<MessageBusListener>();
  /** Errors thrown by listeners, kept for diagnosis. */
  readonly listenerErrors: unknown[] = [];

  subscribe(listener: MessageBusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: JournalEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.listenerErrors.push(error);
      }
    }
  }
}
