import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.ContentBlock;

/**
 * Rebuilds the complete Messages API reply from its stream events. Unlike the SDK's `MessageStream`, a duplicated
 * `message_start` (sent by gateways such as LiteLLM) is tolerated: the first one opens the message, a repeat only
 * contributes counters the first lacked, and the repeat is reported in `anomalies`.
 */
export class AnthropicStreamAccumulator {
  /** Block index → the raw JSON text streamed for a tool input (kept raw when it does not parse). */
  readonly rawToolInputs = new Map<number, string>();
  readonly anomalies: string[] = [];
  private message: Anthropic.Message | undefined;
  private stopped = false;

  /** True once `message_stop` arrived: only then is the reply complete. */
  get complete(): boolean {
    return this.stopped && this.message !== undefined;
  }

  /** The text delta of this event, if it carries one. */
  add(event: Anthropic.RawMessageStreamEvent): string | undefined {
    if (event.type === 'message_start') {
      if (this.message === undefined) {
        this.message = { ...event.message, content: [...event.message.content], usage: { ...event.message.usage } };
      } else {
        this.anomalies.push('stream-anomaly: a duplicated message_start was ignored.');
        const usage = this.message.usage;
        usage.input_tokens = Math.max(usage.input_tokens ?? 0, event.message.usage.input_tokens ?? 0);
      }
      return undefined;
    }
    const message = this.message;
    if (message === undefined) return undefined;
    switch (event.type) {
      case 'message_stop':
        this.stopped = true;
        return undefined;
      case 'message_delta': {
        message.stop_reason = event.delta.stop_reason;
        message.stop_sequence = event.delta.stop_sequence;
        const usage = event.usage;
        message.usage.output_tokens = usage.output_tokens;
        // Cumulative counters, present only when they apply: overwrite, never add.
        if (usage.input_tokens != null) message.usage.input_tokens = usage.input_tokens;
        if (usage.cache_creation_input_tokens != null) {
          message.usage.cache_creation_input_tokens = usage.cache_creation_input_tokens;
        }
        if (usage.cache_read_input_tokens != null)
          message.usage.cache_read_input_tokens = usage.cache_read_input_tokens;
        if (usage.output_tokens_details != null) message.usage.output_tokens_details = usage.output_tokens_details;
        return undefined;
      }
      case 'content_block_start':
        message.content[event.index] = { ...event.content_block } as Block;
        return undefined;
      case 'content_block_delta':
        return this.addDelta(message, event.index, event.delta);
      default:
        return undefined;
    }
  }

  /** The reply rebuilt so far (tool inputs are in `rawToolInputs`); only meaningful once `complete`. */
  result(): Anthropic.Message | undefined {
    return this.message === undefined ? undefined : { ...this.message, content: [...this.message.content] };
  }

  private addDelta(
    message: Anthropic.Message,
    index: number,
    delta: Anthropic.RawContentBlockDelta,
  ): string | undefined {
    const block = message.content[index];
    if (block === undefined) return undefined;
    if (delta.type === 'text_delta' && block.type === 'text') {
      message.content[index] = { ...block, text: block.text + delta.text };
      return delta.text === '' ? undefined : delta.text;
    }
    if (delta.type === 'input_json_delta') {
      this.rawToolInputs.set(index, (this.rawToolInputs.get(index) ?? '') + delta.partial_json);
    }
    if (delta.type === 'thinking_delta' && block.type === 'thinking') {
      message.content[index] = { ...block, thinking: block.thinking + delta.thinking };
    }
    return undefined;
  }
}
