import type { LanguageModel, LMResponse } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { ScriptedLM, startTestServer } from '../../src/index.js';

const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });

async function post(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', body });
  return { status: res.status, text: await res.text() };
}

/** A model whose responses lack `usage`, so building the completion object throws. */
const brokenLM: LanguageModel = {
  model: 'broken',
  async call() {
    return { text: 'x', choices: ['x'], model: 'broken', finishReason: 'stop' } as unknown as LMResponse;
  },
};

describe('startTestServer: failures of its own', () => {
  it('answers 500 when the latency function throws', async () => {
    await using server = await startTestServer({
      lm: new ScriptedLM(() => 'ok'),
      latencyMs: () => {
        throw new Error('latency exploded');
      },
    });
    const { status, text } = await post(server.url);
    expect(status).toBe(500);
    expect(text).toContain('Test server failure: Error: latency exploded');
    expect(server.requests[0]?.outcome.status).toBe(500);
  });

  it('answers 500 when the answer cannot be built, with or without latency', async () => {
    for (const latencyMs of [0, 5]) {
      await using server = await startTestServer({ lm: brokenLM, latencyMs });
      const { status, text } = await post(server.url);
      expect(status).toBe(500);
      expect(text).toContain('Test server failure');
    }
  });
});
