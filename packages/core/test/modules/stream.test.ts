import {
  ChainOfThought,
  JSONAdapter,
  type LanguageModel,
  LM,
  Module,
  Predict,
  type ProgramStreamEvent,
  runWithTrace,
  streamify,
} from '@dspy-ts/core';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

async function collect<E>(it: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of it) out.push(e);
  return out;
}

function joined(events: readonly { type: string; field?: string; delta?: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'delta' && e.field) out[e.field] = (out[e.field] ?? '') + e.delta;
  return out;
}

describe('Predict.stream', () => {
  it('yields typed per-field deltas in order, then the final validated prediction', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris is the capital', confidence: 0.75 }], { chunkChars: 3 });
    const qa = new Predict('question: string -> answer: string, confidence: number', { lm });
    const events = await collect(qa.stream({ question: 'Capital of France?' }));
    const last = events.at(-1);
    expect(last?.type).toBe('prediction');
    if (last?.type === 'prediction') {
      expectTypeOf(last.prediction.confidence).toEqualTypeOf<number>();
      expect(last.prediction.toJSON()).toEqual({ answer: 'Paris is the capital', confidence: 0.75 });
    }
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    const fields = deltas.map((d) => d.field);
    expect(fields.indexOf('confidence')).toBeGreaterThan(fields.lastIndexOf('answer'));
    expect(joined(events)).toEqual({ answer: 'Paris is the capital', confidence: '0.75' });
    const first = deltas[0];
    if (first?.type === 'delta') expectTypeOf(first.field).toEqualTypeOf<'answer' | 'confidence'>();
  });

  it('falls back to one call when the LM cannot stream, and still records the trace', async () => {
    const scripted = new ScriptedLM([{ answer: 'whole' }]);
    const lm: LanguageModel = { model: 'no-stream', call: (req) => scripted.call(req) };
    const qa = new Predict('question -> answer', { lm });
    const { result: events, trace } = await runWithTrace(() => collect(qa.stream({ question: 'q' })));
    expect(joined(events)).toEqual({ answer: 'whole' });
    expect(events.at(-1)).toMatchObject({ type: 'prediction' });
    expect(trace).toHaveLength(1);
  });

  it('gives one delta per field with a non-chat adapter', async () => {
    const lm = new ScriptedLM([{ answer: 'json answer' }]);
    const qa = new Predict('question -> answer', { lm, adapter: new JSONAdapter() });
    const events = await collect(qa.stream({ question: 'q' }));
    expect(events.filter((e) => e.type === 'delta')).toEqual([
      { type: 'delta', field: 'answer', delta: 'json answer' },
    ]);
  });

  it('lets the consumer stop early', async () => {
    const lm = new ScriptedLM([{ answer: 'a long answer in many chunks' }], { chunkChars: 2 });
    const qa = new Predict('question -> answer', { lm });
    let seen = 0;
    for await (const ev of qa.stream({ question: 'q' })) {
      if (ev.type === 'delta') seen += 1;
      if (seen === 2) break;
    }
    expect(seen).toBe(2);
  });

  it('ends with the error when the call fails', async () => {
    const qa = new Predict('question -> answer', { lm: new ScriptedLM([]) });
    await expect(collect(qa.stream({ question: 'q' }))).rejects.toMatchObject({ code: 'LM_CONFIG' });
  });
});

class Pipeline extends Module {
  draft = new Predict('question -> draft');
  generate = new ChainOfThought('question, draft -> answer');
  override async forward({ question }: { question: string }) {
    const { draft } = await this.draft.forward({ question });
    return this.generate.forward({ question, draft });
  }
}

function pipelineLM(): ScriptedLM {
  return new ScriptedLM(
    (req) =>
      req.messages[0]?.content.includes('`draft` (string)\nYour output')
        ? { reasoning: 'think', answer: 'final answer' }
        : { draft: 'a draft' },
    { chunkChars: 5 },
  );
}

describe('streamify', () => {
  it('streams only the listened predictor, then the program output', async () => {
    const program = new Pipeline().setLM(pipelineLM());
    const run = streamify(program, { listeners: [{ predictor: 'generate.predict', field: 'answer' }] });
    const events: ProgramStreamEvent<Awaited<ReturnType<Pipeline['forward']>>>[] = await collect(
      run({ question: 'q' }),
    );
    const deltas = events.filter((e) => e.type === 'delta');
    expect(new Set(deltas.map((d) => `${d.predictor}:${d.field}`))).toEqual(
      new Set(['generate.predict:answer']),
    );
    expect(joined(deltas)).toEqual({ answer: 'final answer' });
    const last = events.at(-1);
    expect(last?.type === 'prediction' && last.prediction.answer).toBe('final answer');
  });

  it('matches listeners by path or instance in a clone (a compiled copy)', async () => {
    const original = new Pipeline();
    const compiled = original.clone().setLM(pipelineLM());
    compiled.generate.predict.demos = [{ question: 'dq', draft: 'dd', reasoning: 'dr', answer: 'da' }];
    for (const listener of [
      { predictor: original.generate.predict },
      { predictor: 'generate' },
      { predictor: original.generate },
    ]) {
      const events = await collect(streamify(compiled, { listeners: [listener] })({ question: 'q' }));
      const deltas = events.filter((e) => e.type === 'delta');
      expect(joined(deltas)).toEqual({ reasoning: 'think', answer: 'final answer' });
      expect(deltas.every((d) => d.type === 'delta' && d.predictor === 'generate.predict')).toBe(true);
    }
  });

  it('streams every predictor without listeners', async () => {
    const program = new Pipeline().setLM(pipelineLM());
    const events = await collect(streamify(program)({ question: 'q' }));
    const paths = new Set(events.flatMap((e) => (e.type === 'delta' ? [e.predictor] : [])));
    expect(paths).toEqual(new Set(['draft', 'generate.predict']));
  });

  it('keeps concurrent streams apart', async () => {
    const lm = new ScriptedLM((req) => ({
      answer: req.messages.at(-1)?.content.includes('one') ? 'uno' : 'dos',
    }));
    const qa = new Predict('question -> answer', { lm });
    const [a, b] = await Promise.all([
      collect(qa.stream({ question: 'one' })),
      collect(qa.stream({ question: 'two' })),
    ]);
    expect(joined(a)).toEqual({ answer: 'uno' });
    expect(joined(b)).toEqual({ answer: 'dos' });
  });
});

describe('streaming through LM over the OpenAI-protocol test server (SSE)', () => {
  it('streams field deltas from a real HTTP stream and ends with the validated prediction', async () => {
    await using server = await startTestServer({
      lm: new ScriptedLM(() => ({ answer: 'Paris, on the Seine', confidence: 0.5 }), { chunkChars: 3 }),
    });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: server.url, apiKey: 'k', cache: false });
    const qa = new Predict('question: string -> answer: string, confidence: number', { lm });
    const events = await collect(qa.stream({ question: 'Capital of France?' }));
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(2);
    expect(joined(events)).toEqual({ answer: 'Paris, on the Seine', confidence: '0.5' });
    const last = events.at(-1);
    expect(last?.type === 'prediction' && last.prediction.toJSON()).toEqual({
      answer: 'Paris, on the Seine',
      confidence: 0.5,
    });
  });
});
