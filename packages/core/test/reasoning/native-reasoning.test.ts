import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainOfThought,
  DiskCache,
  getHistory,
  inspectHistory,
  JSONAdapter,
  LM,
  type LMOptions,
  MemoryCache,
  Predict,
  signature,
  streamLM,
  TwoStepAdapter,
  XMLAdapter,
} from '../../src/index.js';
import { clearHistory } from '../../src/internal.js';

const THOUGHT = 'The user asks for 2 + 2. Two and two make four.';

/** Answers every call with `answer: 4` (and `reasoning: 'written'` when the prompt asks for it). */
const answering = (
  reasoning: string | undefined,
  key: 'reasoning_content' | 'reasoning' = 'reasoning_content',
) =>
  startTestServer({
    lm: new ScriptedLM(() => ({ reasoning: 'Written reasoning.', answer: 4 }), { reasoning }),
    reasoningKey: key,
  });

let server: TestServer;
let plain: TestServer;
let named: TestServer;

beforeAll(async () => {
  server = await answering(THOUGHT);
  plain = await answering(undefined);
  named = await answering(THOUGHT, 'reasoning');
});
afterAll(async () => {
  await server.close();
  await plain.close();
  await named.close();
});

const lmOf = (s: TestServer, cache: LMOptions['cache'] = false) =>
  new LM('openai/deepseek-reasoner', { baseURL: s.url, apiKey: 'k', cache });
const ask = { messages: [{ role: 'user' as const, content: 'What is 2 + 2?' }] };

describe('a reasoning model over the openai client', () => {
  it('surfaces reasoning_content and the reasoning token count', async () => {
    const r = await lmOf(server).call(ask);
    expect(r.reasoning).toBe(THOUGHT);
    expect(r.reasonings).toEqual([THOUGHT]);
    expect(r.usage.reasoningTokens).toBe(Math.ceil(THOUGHT.length / 4));
    expect(r.text).toContain('4');
  });

  it('reads the `reasoning` key that some providers use instead', async () => {
    const r = await lmOf(named).call(ask);
    expect(r.reasoning).toBe(THOUGHT);
  });

  it('streams reasoning deltas before the text, and assembles them in the response', async () => {
    let last: Awaited<ReturnType<LM['call']>> | undefined;
    let thinking = '';
    let textBeforeThinking = false;
    for await (const chunk of streamLM(lmOf(server), ask)) {
      if (chunk.response) last = chunk.response;
      if (chunk.reasoning) {
        expect(chunk.delta).toBe('');
        thinking += chunk.reasoning;
      }
      if (chunk.delta && thinking === '') textBeforeThinking = true;
    }
    expect(thinking).toBe(THOUGHT);
    expect(textBeforeThinking).toBe(false);
    expect(last?.reasoning).toBe(THOUGHT);
    expect(last?.usage.reasoningTokens).toBe(Math.ceil(THOUGHT.length / 4));
  });

  it('a model without native reasoning leaves the fields out', async () => {
    const r = await lmOf(plain).call(ask);
    expect(r.reasoning).toBeUndefined();
    expect(r.reasonings).toBeUndefined();
    expect(r.usage.reasoningTokens).toBeUndefined();
  });

  it('the memory and disk caches keep the reasoning', async () => {
    const memory = lmOf(server, new MemoryCache(10));
    await memory.call(ask);
    const hit = await memory.call(ask);
    expect(hit).toMatchObject({ cacheHit: true, reasoning: THOUGHT, reasonings: [THOUGHT] });
    const dir = mkdtempSync(join(tmpdir(), 'dspy-reasoning-'));
    try {
      await lmOf(server, new DiskCache(dir)).call(ask);
      const fromDisk = await lmOf(server, new DiskCache(dir)).call(ask);
      expect(fromDisk).toMatchObject({ cacheHit: true, reasoning: THOUGHT });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the history keeps it and inspectHistory prints it before the response', async () => {
    clearHistory();
    await new Predict('question -> answer: number', { lm: lmOf(server) }).forward({ question: '2 + 2?' });
    expect(getHistory(1)[0]?.reasonings).toEqual([THOUGHT]);
    const text = inspectHistory(1, { write: false });
    expect(text).toContain("Reasoning (the model's own):");
    expect(text.indexOf(THOUGHT)).toBeLessThan(text.indexOf('Response:'));
    expect(text).toMatch(/completion tokens \(\d+ reasoning\)/);
  });
});

describe('Reasoning outputs', () => {
  for (const [name, adapter] of [
    ['ChatAdapter', undefined],
    ['JSONAdapter', new JSONAdapter()],
    ['XMLAdapter', new XMLAdapter()],
  ] as const) {
    it(`${name}: ChainOfThought's reasoning is the model's own; the typed answer is read from the text`, async () => {
      const cot = new ChainOfThought('question -> answer: number', { lm: lmOf(server), adapter });
      const pred = await cot.forward({ question: '2 + 2?' });
      expect(pred.reasoning).toBe(THOUGHT);
      expect(pred.answer).toBe(4);
    });
  }

  it('without native reasoning, the field is the text the model wrote', async () => {
    const cot = new ChainOfThought('question -> answer: number', { lm: lmOf(plain) });
    const pred = await cot.forward({ question: '2 + 2?' });
    expect(pred.reasoning).toBe('Written reasoning.');
  });

  it('the prompt still asks for the field, and a completion without it parses when the model reasoned natively', async () => {
    const lm = new ScriptedLM(['[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]'], { reasoning: THOUGHT });
    const pred = await new ChainOfThought('question -> answer: number', { lm }).forward({ question: 'q' });
    expect(lm.requests[0]?.messages[0]?.content).toContain('[[ ## reasoning ## ]]');
    expect(pred.reasoning).toBe(THOUGHT);
    expect(pred.answer).toBe(4);
  });

  it('a Reasoning field of a string signature; without native reasoning a missing field is still an error', async () => {
    const spec = signature('problem -> thinking: Reasoning, answer: number');
    expect(spec.outputs[0]?.schema['x-dspy-type']).toBe('Reasoning');
    const lm = new ScriptedLM(['[[ ## answer ## ]]\n4\n\n[[ ## completed ## ]]']);
    await expect(
      new Predict(spec, { lm, adapter: new XMLAdapter({ fallback: false }) }).forward({ problem: 'p' }),
    ).rejects.toThrow(/thinking/);
  });

  it("TwoStepAdapter: the main model's own reasoning fills the field; the extraction reads the answer", async () => {
    const main = new ScriptedLM(['Two and two: the answer is 4.'], { reasoning: THOUGHT });
    const extractor = new ScriptedLM([{ answer: 4 }]);
    const cot = new ChainOfThought('question -> answer: number', {
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
    });
    const pred = await cot.forward({ question: '2 + 2?' });
    expect(pred).toMatchObject({ reasoning: THOUGHT, answer: 4 });
  });

  it("streaming: the Reasoning field streams the model's own reasoning, not the text's", async () => {
    for (const adapter of [undefined, new XMLAdapter()]) {
      const lm = new ScriptedLM([{ reasoning: 'Written.', answer: 4 }], { reasoning: THOUGHT });
      const cot = new ChainOfThought('question -> answer: number', { lm, adapter });
      const deltas: Record<string, string> = {};
      let pred: Record<string, unknown> | undefined;
      for await (const e of cot.stream({ question: 'q' })) {
        if (e.type === 'delta') deltas[e.field] = (deltas[e.field] ?? '') + e.delta;
        if (e.type === 'prediction') pred = e.prediction as unknown as Record<string, unknown>;
      }
      expect(deltas.reasoning).toBe(THOUGHT);
      expect(deltas.answer).toBe('4');
      expect(pred?.reasoning).toBe(THOUGHT);
    }
  });

  it('usage totals of a prediction count the reasoning tokens', async () => {
    const lm = new ScriptedLM([{ reasoning: 'r', answer: 4 }], { reasoning: THOUGHT });
    const pred = await new ChainOfThought('question -> answer: number', { lm }).forward({ question: 'q' });
    expect(pred.usage.reasoningTokens).toBe(Math.ceil(THOUGHT.length / 4));
  });
});
