import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { LM } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';
import { describeLanguageModelContract } from './contract.js';

const SECRET = 'sk-contract-secret-123456';

/** Answers 'Paris', or calls `lookup` when the request offers tools. */
const parisOrLookup = () =>
  new ScriptedLM((req) =>
    req.tools?.length ? { toolCalls: [{ name: 'lookup', arguments: { key: 'k1' } }] } : { answer: 'Paris' },
  );

describeLanguageModelContract('ScriptedLM', () => ({
  lm: new ScriptedLM(() => ({ answer: 'Paris' })),
  toolCaller: parisOrLookup(),
}));

// The offline model's tool calls depend on the prompt (test/offline/agent-*.test.ts); the
// contract checks its text answers, with function calling turned off.
describeLanguageModelContract('OfflineLM', () => ({ lm: new OfflineLM({ supportsToolCalls: false }) }));

describeLanguageModelContract("LM('offline')", () => ({
  lm: new LM('offline', { supportsToolCalls: false }),
}));

describeLanguageModelContract('LM over the test server', async () => {
  const server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })), apiKey: SECRET });
  const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: SECRET, cache: false });
  const tools = await startTestServer({ lm: parisOrLookup(), apiKey: SECRET });
  const toolCaller = new LM('openai/gpt-4o-mini', { baseURL: tools.url, apiKey: SECRET, cache: false });
  const close = async () => {
    await server.close();
    await tools.close();
  };
  return { lm, secrets: [SECRET], toolCaller, close };
});
