import { join } from 'node:path';
import {
  type ConformanceCase,
  describeModelPortConformance,
} from '@orchestrator/testing/conformance/model-port-conformance';
import {
  cutStreamFault,
  defaultFixturesDirectory,
  loadCassette,
  overloadedFault,
  type ReplayExchange,
  type ReplayServer,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { createAnthropicModel } from '../src/anthropic/anthropic-model.ts';
import { createOpenAiModel } from '../src/openai/openai-model.ts';
import { createOpenAiResponsesModel } from '../src/openai/responses-model.ts';

const recorded = (folder: string, name: string, index = 0): ReplayExchange => {
  const exchange = loadCassette(join(defaultFixturesDirectory, folder, name))[index];
  if (exchange === undefined) throw new Error(`no exchange ${index} in ${name}`);
  return exchange;
};

/** One fresh replay server per case, so an unconsumed reply can never leak into the next case. */
function replayHarness(replies: (testCase: ConformanceCase) => ReplayExchange[]) {
  const servers: ReplayServer[] = [];
  return {
    async serve(testCase: ConformanceCase): Promise<string> {
      const server = await startReplayServer({ exchanges: replies(testCase) });
      servers.push(server);
      return server.url;
    },
    async close(): Promise<void> {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

const anthropicReplies = {
  text: recorded('anthropic-cassettes', 'anthropic_test_output_test_no_tools_no_output.yaml'),
  stream: recorded('anthropic-cassettes', 'test_anthropic_model_thinking_part_stream.yaml'),
  structured: recorded('anthropic-cassettes', 'test_anthropic_tool_output.yaml', 1),
  count: recorded('anthropic-cassettes', 'test_anthropic_count_tokens_with_tool_search_replay.yaml'),
};
const anthropicHarness = replayHarness((testCase) => {
  switch (testCase.scenario) {
    case 'text':
      return [testCase.streaming ? anthropicReplies.stream : anthropicReplies.text];
    case 'structured':
      return [anthropicReplies.structured];
    case 'count':
      return [anthropicReplies.count];
    case 'cut-stream':
      return [cutStreamFault(anthropicReplies.stream)];
    case 'overloaded':
      return [1, 2, 3].map(() => overloadedFault('anthropic', { retryAfterMs: 1 }));
  }
});
describeModelPortConformance({
  name: 'anthropic (replay server)',
  supportsFaults: true,
  create: async (testCase) =>
    createAnthropicModel({
      model: 'claude-sonnet-4-6',
      apiKey: 'sk-ant-conformance-000000',
      baseUrl: await anthropicHarness.serve(testCase),
      maxRetries: 2,
      timeoutSeconds: 30,
    }),
  close: anthropicHarness.close,
});

const openAiReplies = {
  text: recorded('openai-cassettes', 'test_openai_text_output_function.yaml', 1),
  stream: recorded('openai-cassettes', 'test_openai_moderation_stream.yaml'),
  structured: recorded('openai-cassettes', 'test_openai_native_output.yaml', 1),
};
const openAiHarness = replayHarness((testCase) => {
  switch (testCase.scenario) {
    case 'text':
      return [testCase.streaming ? openAiReplies.stream : openAiReplies.text];
    case 'structured':
      return [openAiReplies.structured];
    case 'count':
      return [];
    case 'cut-stream':
      return [cutStreamFault(openAiReplies.stream)];
    case 'overloaded':
      return [1, 2, 3].map(() => overloadedFault('openai', { retryAfterMs: 1 }));
  }
});
describeModelPortConformance({
  name: 'openai (replay server)',
  supportsFaults: true,
  create: async (testCase) =>
    createOpenAiModel({
      model: 'gpt-4o',
      apiKey: 'sk-conformance-000000000',
      baseUrl: `${await openAiHarness.serve(testCase)}/v1`,
      maxRetries: 2,
      timeoutSeconds: 30,
    }),
  close: openAiHarness.close,
});

const responsesReplies = {
  text: recorded('openai-responses-cassettes', 'test_openai_responses_compact_messages_direct.yaml'),
  stream: recorded('openai-responses-cassettes', 'test_openai_conversation_id_streaming_provider_details.yaml', 1),
  structured: recorded('openai-responses-cassettes', 'test_native_output.yaml', 1),
};
const responsesHarness = replayHarness((testCase) => {
  switch (testCase.scenario) {
    case 'text':
      return [testCase.streaming ? responsesReplies.stream : responsesReplies.text];
    case 'structured':
      return [responsesReplies.structured];
    case 'count':
      return [];
    case 'cut-stream':
      return [cutStreamFault(responsesReplies.stream)];
    case 'overloaded':
      return [1, 2, 3].map(() => overloadedFault('openai', { retryAfterMs: 1 }));
  }
});
describeModelPortConformance({
  name: 'openai responses (replay server)',
  supportsFaults: true,
  create: async (testCase) =>
    createOpenAiResponsesModel({
      model: 'gpt-4.1',
      apiKey: 'sk-conformance-000000000',
      baseUrl: `${await responsesHarness.serve(testCase)}/v1`,
      maxRetries: 2,
      timeoutSeconds: 30,
    }),
  close: responsesHarness.close,
});
