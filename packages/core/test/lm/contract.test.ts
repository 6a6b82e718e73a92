import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { LM } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';
import { describeLanguageModelContract } from './contract.js';

const SECRET = 'sk-contract-secret-123456';

describeLanguageModelContract('ScriptedLM', () => ({ lm: new ScriptedLM(() => ({ answer: 'Paris' })) }));

describeLanguageModelContract('OfflineLM', () => ({ lm: new OfflineLM() }));

describeLanguageModelContract("LM('offline')", () => ({ lm: new LM('offline') }));

describeLanguageModelContract('LM over the test server', async () => {
  const server = await startTestServer({ lm: new ScriptedLM(() => ({ answer: 'Paris' })), apiKey: SECRET });
  const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: SECRET, cache: false });
  return { lm, secrets: [SECRET], close: () => server.close() };
});
