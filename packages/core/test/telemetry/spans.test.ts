import { ScriptedLM } from '@dspy-ts/testing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Example,
  evaluate,
  exactMatch,
  type LanguageModel,
  LM,
  Module,
  Predict,
  type Prediction,
  ReAct,
  silentLogger,
  ToolCalls,
  tool,
  withSettings,
} from '../../src/index.js';
import { errorServer } from '../lm/helpers/error-server.js';
import { everything, names, type Recorded, recordTelemetry } from './sdk.js';

let otel: Recorded;
beforeEach(() => {
  otel = recordTelemetry();
});
afterEach(async () => {
  await otel.close();
});

/** A two-step program: classify, then explain the label. */
class Triage extends Module {
  classify = new Predict('text -> label');
  explain = new Predict('text, label -> explanation');
  override async forward({ text }: { text: string }): Promise<Prediction> {
    const { label } = await this.classify.forward({ text });
    return this.explain.forward({ text, label });
  }
}

function triage(lm: LanguageModel): Triage {
  return new Triage().setLM(lm);
}

const SCRIPT = [{ label: 'card_lost' }, { explanation: 'The customer lost a card.' }];

describe('spans of a two-step program', () => {
  it('nest module → predictor → LM request, with the GenAI attributes', async () => {
    await triage(new ScriptedLM(SCRIPT)).forward({ text: 'I lost my card' });
    const root = otel.span('dspy.module Triage');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes['dspy.module.class']).toBe('Triage');
    const steps = otel.children(root);
    expect(names(steps)).toBe('dspy.predict Predict(StringSignature), dspy.predict Predict(StringSignature)');
    const [classify, explain] = steps as [(typeof steps)[0], (typeof steps)[0]];
    expect(classify.attributes['dspy.predict.demos']).toBe(0);
    for (const step of [classify, explain]) {
      const [chat, ...more] = otel.children(step);
      expect(more).toEqual([]);
      expect(chat?.name).toBe('chat scripted');
      expect(chat?.kind).toBe(SpanKind.CLIENT);
      expect(chat?.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'scripted',
        'gen_ai.response.model': 'scripted',
        'gen_ai.response.finish_reasons': ['stop'],
        'dspy.lm.cache_hit': false,
      });
      expect(chat?.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(chat?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(chat?.status.code).toBe(SpanStatusCode.UNSET);
    }
    // The steps are siblings under the module, in call order (span start times can tie or
    // round across the clock's millisecond origin, so order is read from the export, not the clock).
    expect(otel.spans().indexOf(classify)).toBeLessThan(otel.spans().indexOf(explain));
  });

  it('carry no prompt, completion, input or output unless recordContent is on', async () => {
    await triage(new ScriptedLM(SCRIPT)).forward({ text: 'I lost my card' });
    const text = everything(otel.spans());
    expect(text).not.toContain('I lost my card');
    expect(text).not.toContain('card_lost');
    expect(text).not.toContain('gen_ai.input.messages');
  });

  it('carry prompts, completions, inputs and outputs with telemetry.recordContent', async () => {
    await withSettings({ telemetry: { recordContent: true } }, () =>
      triage(new ScriptedLM(SCRIPT)).forward({ text: 'I lost my card' }),
    );
    const [classify] = otel.children(otel.span('dspy.module Triage'));
    expect(String(classify?.attributes['dspy.predict.inputs'])).toBe('{"text":"I lost my card"}');
    expect(String(classify?.attributes['dspy.predict.outputs'])).toContain('card_lost');
    const chat = otel.children(classify as NonNullable<typeof classify>)[0];
    const input = JSON.parse(String(chat?.attributes['gen_ai.input.messages'])) as {
      role: string;
      content: string;
    }[];
    expect(input.at(-1)?.content).toContain('I lost my card');
    expect(String(chat?.attributes['gen_ai.output.messages'])).toContain('card_lost');
  });

  it('mark a failed LM request and every span above it ERROR, with the exception', async () => {
    const broken: LanguageModel = {
      model: 'acme/broken',
      call: () => Promise.reject(new Error('upstream exploded')),
    };
    await expect(triage(broken).forward({ text: 'x' })).rejects.toThrow('upstream exploded');
    const chat = otel.span('chat broken');
    expect(chat.attributes['gen_ai.provider.name']).toBe('acme');
    expect(chat.attributes['error.type']).toBe('LM_SERVER');
    for (const span of otel.spans()) {
      expect(span.status.code, span.name).toBe(SpanStatusCode.ERROR);
      expect(span.events.find((e) => e.name === 'exception')?.attributes?.['exception.message']).toContain(
        'upstream exploded',
      );
    }
    expect(names(otel.spans())).toBe(
      'chat broken, dspy.predict Predict(StringSignature), dspy.module Triage',
    );
  });
});

describe('spans of a streamed prediction', () => {
  it('put the streamed LM request in a chat span under the predictor, with its response', async () => {
    const qa = new Predict('question -> answer', { lm: new ScriptedLM([{ answer: 'Paris' }]) });
    const events: string[] = [];
    for await (const ev of qa.stream({ question: 'Capital of France?' })) events.push(ev.type);
    expect(events.at(-1)).toBe('prediction');
    const predict = otel.span('dspy.predict Predict(StringSignature)');
    const [chat, ...more] = otel.children(predict);
    expect(more).toEqual([]);
    expect(chat?.name).toBe('chat scripted');
    expect(chat?.attributes['gen_ai.operation.name']).toBe('chat');
    expect(typeof chat?.attributes['gen_ai.usage.output_tokens']).toBe('number');
    expect(chat?.attributes['gen_ai.response.model']).toBe('scripted');
    expect(chat?.attributes['dspy.lm.cache_hit']).toBe(false);
  });
});

describe('spans never hold an API key', () => {
  it('a server that echoes the key in its error: the LM span and its exception are masked', async () => {
    const key = 'sk-live-telemetry0123456789';
    const server = await errorServer((req) => ({
      status: 400,
      body: { error: { message: `Bad request with key ${req.headers.authorization ?? ''}` } },
    }));
    try {
      const lm = new LM('openai/gpt-4o-mini', {
        baseURL: server.url,
        apiKey: key,
        cache: false,
        numRetries: 0,
      });
      await expect(
        withSettings({ telemetry: { recordContent: true } }, () =>
          new Predict('q -> a', { lm }).forward({ q: 'hi' }),
        ),
      ).rejects.toThrow();
      const chat = otel.span('chat gpt-4o-mini');
      expect(chat.attributes['gen_ai.provider.name']).toBe('openai');
      expect(chat.status.code).toBe(SpanStatusCode.ERROR);
      expect(chat.events.some((e) => e.name === 'exception')).toBe(true);
      const text = everything(otel.spans());
      expect(text).toContain('Bad request with key');
      expect(text).not.toContain(key);
      expect(text).not.toContain('telemetry0123456789');
    } finally {
      await server.close();
    }
  });
});

const search = tool((query: string) => `Results for ${query}`, {
  name: 'search',
  desc: 'Searches the web.',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
});
const failing = tool(
  (_query: string): string => {
    throw new Error('index offline');
  },
  {
    name: 'lookup',
    desc: 'Looks a word up.',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
);

describe('spans of an agent run', () => {
  it('put each tool call in an execute_tool span under the agent, a failing tool ERROR', async () => {
    const lm = new ScriptedLM([
      { nextThought: 'Search.', toolCalls: { calls: [{ name: 'search', args: { query: 'Dune author' } }] } },
      { nextThought: 'Look up.', toolCalls: { calls: [{ name: 'lookup', args: { query: 'Herbert' } }] } },
      { nextThought: 'Done.', toolCalls: { calls: [{ name: 'finish', args: {} }] } },
      { reasoning: 'The search says Herbert.', answer: 'Frank Herbert' },
    ]);
    const agent = new ReAct('question: string -> answer: string', {
      tools: [search, failing],
      lm,
      nativeToolCalls: false,
    });
    await withSettings({ logger: silentLogger }, () => agent.forward({ question: 'Who wrote Dune?' }));
    const root = otel.spans().find((s) => s.name.startsWith('dspy.module ReAct'));
    expect(root?.parentSpanContext, names(otel.spans())).toBeUndefined();
    const children = otel.children(root as NonNullable<typeof root>);
    const tools = children.filter((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool');
    expect(tools.map((s) => s.name)).toEqual([
      'execute_tool search',
      'execute_tool lookup',
      'execute_tool finish',
    ]);
    expect(tools[0]?.attributes['gen_ai.tool.name']).toBe('search');
    expect(tools[0]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(tools[1]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(tools[1]?.attributes['error.type']).toBe('TOOL_ERROR');
    // Three steps of the loop and the extraction, each reaching the LM.
    expect(otel.spans().filter((s) => s.name === 'chat scripted')).toHaveLength(4);
    expect(everything(otel.spans())).not.toContain('Dune author');
  });

  it('give ToolCalls.execute spans the call ids, arguments and results when opted in', async () => {
    const calls = new ToolCalls([{ id: 'call_7', name: 'search', args: { query: 'Dune' } }]);
    await withSettings({ telemetry: { recordContent: true } }, () => calls.execute([search]));
    const span = otel.span('execute_tool search');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search',
      'gen_ai.tool.call.id': 'call_7',
      'gen_ai.tool.call.arguments': '{"query":"Dune"}',
      'gen_ai.tool.call.result': '"Results for Dune"',
    });
  });
});

describe('spans of evaluate', () => {
  it('one run span with the score, one span per example with its own score', async () => {
    const qa = new Predict('question -> answer', {
      lm: new ScriptedLM({ capital: { answer: 'Paris' }, largest: { answer: 'Lyon' } }),
    });
    const devset = [
      new Example({ question: 'capital of France?', answer: 'Paris' }).withInputs('question'),
      new Example({ question: 'largest city?', answer: 'Marseille' }).withInputs('question'),
    ];
    const report = await evaluate(qa, devset, exactMatch, { concurrency: 1, progress: false, name: 'qa' });
    expect(report.score).toBe(50);
    const run = otel.span('dspy.evaluate qa');
    expect(run.attributes).toMatchObject({ 'dspy.evaluate.size': 2, 'dspy.evaluate.score': 50 });
    const examples = otel.children(run);
    expect(
      examples.map((s) => [s.attributes['dspy.example.index'], s.attributes['dspy.example.score']]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
    for (const ex of examples) expect(names(otel.children(ex))).toBe('dspy.predict Predict(StringSignature)');
  });

  it('a failed example is ERROR with its exception', async () => {
    const broken: LanguageModel = { model: 'broken', call: () => Promise.reject(new Error('no luck')) };
    const devset = [new Example({ question: 'q', answer: 'a' }).withInputs('question')];
    await evaluate(new Predict('question -> answer', { lm: broken }), devset, exactMatch, {
      progress: false,
      name: 'qa',
    });
    const example = otel.span('dspy.evaluate.example');
    expect(example.status.code).toBe(SpanStatusCode.ERROR);
    expect(example.attributes['dspy.example.score']).toBe(0);
    expect(otel.span('dspy.evaluate qa').status.code).toBe(SpanStatusCode.UNSET);
  });
});
