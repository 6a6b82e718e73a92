import { describe, expect, it } from 'vitest';
import {
  ChatAdapter,
  INCOMPLETE_DEMO_NOTICE,
  JSONAdapter,
  NOT_SUPPLIED,
  TwoStepAdapter,
  XMLAdapter,
} from '../../src/adapters/index.js';
import { extractionSpecOf } from '../../src/adapters/two-step-adapter.js';
import type { Adapter } from '../../src/adapters/types.js';
import { isDspyError } from '../../src/errors.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { ToolCalls } from '../../src/tools/index.js';
import { field, qa, rich, richOutputs, scriptedLM, str } from './helpers.js';
import { agentSpec, inputs } from './tools-fixtures.js';

/** One shared suite that every adapter must pass. */
type Make = (nativeToolCalls?: boolean) => Adapter;
const adapters: [string, Make][] = [
  ['ChatAdapter', (nativeToolCalls = false) => new ChatAdapter({ fallback: false, nativeToolCalls })],
  ['JSONAdapter', (nativeToolCalls = false) => new JSONAdapter({ nativeToolCalls })],
  ['XMLAdapter', (nativeToolCalls = false) => new XMLAdapter({ fallback: false, nativeToolCalls })],
];

/** Optional outputs, integers, booleans and a literal union of mixed types. */
const kinds = new SignatureSpec({
  name: 'Kinds',
  instructions: 'Fill in.',
  inputs: [str('text')],
  outputs: [
    field('count', { type: 'integer' }, 'integer'),
    field('ok', { type: 'boolean' }, 'boolean'),
    field('level', { enum: ['low', 'high', 1, true] }, "'low' | 'high' | 1 | true"),
    field('labels', { type: 'array', items: { type: 'string' } }, 'string[]'),
    str('note', { optional: true }),
  ],
});

const nested = new SignatureSpec({
  name: 'Nested',
  instructions: 'Extract.',
  inputs: [str('text'), field('hints', { type: 'array', items: { type: 'string' } }, 'string[]')],
  outputs: [
    field(
      'order',
      {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          items: { type: 'array', items: { type: 'string' } },
          note: { type: ['string', 'null'] },
        },
        required: ['id', 'items', 'note'],
        additionalProperties: false,
      },
      'Order',
    ),
    field('total', { type: 'number' }, 'number'),
    field('status', { enum: ['open', 'closed', 3] }, "'open' | 'closed' | 3"),
    str('comment'),
  ],
});

const cases: [string, SignatureSpec<object, object>, Record<string, unknown>, Record<string, unknown>][] = [
  ['qa', qa, { question: 'Capital of France?' }, { answer: 'Paris' }],
  [
    'qa multi-line',
    qa,
    { question: 'Poem?' },
    { answer: 'Roses are red,\n  violets are blue.\n\n"Quoted" {braces}' },
  ],
  ['rich', rich, { ticket: 'Refund please', tags: ['billing'] }, richOutputs],
  [
    'nested',
    nested,
    { text: 'order 7', hints: ['a', 'b'] },
    { order: { id: 7, items: ['x', 'y'], note: null }, total: 1234.5, status: 3, comment: 'fine' },
  ],
  [
    'kinds, optional left out',
    kinds,
    { text: 'a' },
    { count: -3, ok: false, level: true, labels: ['p', 'q'] },
  ],
  [
    'kinds, optional given',
    kinds,
    { text: 'b' },
    { count: 0, ok: true, level: 'high', labels: [], note: 'n' },
  ],
];

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(adapters)('Adapter contract: %s', (name, make) => {
  const adapter = make();

  it('has its name', () => {
    expect(adapter.name).toBe(name);
  });

  it.each(cases)(
    '%s: system first, one user/assistant pair per demo, final user; no trailing whitespace',
    (_c, spec, inputs, outputs) => {
      const messages = adapter.format(spec, {
        demos: [{ ...inputs, ...outputs }],
        history: [{ inputs, outputs }],
        inputs,
      });
      expect(messages.map((m) => m.role)).toEqual([
        'system',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
      ]);
      for (const m of messages) expect(m.content).not.toMatch(/[^\S\n]$/m);
      for (const f of spec.outputs) expect(messages[0]?.content).toContain(`\`${f.name}\` (${f.typeText})`);
    },
  );

  it.each(cases)(
    '%s: round trip — a demo rendered as the assistant parses back to its outputs',
    (_c, spec, inputs, outputs) => {
      const messages = adapter.format(spec, { demos: [{ ...inputs, ...outputs }], inputs });
      const assistant = messages[2]?.content ?? '';
      expect(adapter.parse(spec, assistant)).toEqual(outputs);
    },
  );

  it.each(cases)(
    '%s: call returns the parsed outputs of the LM answer',
    async (_c, spec, inputs, outputs) => {
      const rendered = adapter.format(spec, { demos: [{ ...inputs, ...outputs }], inputs })[2]?.content ?? '';
      const lm = scriptedLM([rendered]);
      const result = await adapter.call(spec, { lm, inputs });
      expect(result.outputs).toEqual([outputs]);
      expect(result.response.text).toBe(rendered);
      expect(lm.requests[0]?.messages).toEqual(result.messages);
    },
  );

  it('throws ADAPTER_PARSE with expected/found/raw for an unusable completion', () => {
    let caught: unknown;
    try {
      adapter.parse(rich, 'nothing useful');
    } catch (e) {
      caught = e;
    }
    expect(isDspyError(caught, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(caught)) {
      expect(caught.details).toMatchObject({
        adapter: name,
        expected: rich.outputs.map((f) => f.name),
        raw: 'nothing useful',
      });
      expect(Array.isArray(caught.details.found)).toBe(true);
    }
  });

  it('throws LM_EMPTY for an empty completion', () => {
    expect(() => adapter.parse(qa, '')).toThrow(expect.objectContaining({ code: 'LM_EMPTY' }));
  });

  it.each(cases)(
    '%s: a history turn renders as the same assistant answer as a demo',
    (_c, spec, inputs, outputs) => {
      const demo = adapter.format(spec, { demos: [{ ...inputs, ...outputs }], inputs });
      const history = adapter.format(spec, { history: [{ inputs, outputs }], inputs });
      expect(history[2]?.content).toBe(demo[2]?.content);
      expect(history[1]?.content).toBe(demo[1]?.content);
      expect(adapter.parse(spec, history[2]?.content ?? '')).toEqual(outputs);
    },
  );

  it('renders an incomplete demo after the complete ones, with the notice', () => {
    const full = { text: 'Full', count: 1, ok: true, level: 'low', labels: [] };
    const messages = adapter.format(kinds, {
      demos: [{ text: 'Partial', count: 2 }, full],
      inputs: { text: 'Now' },
    });
    expect(messages[1]?.content).toContain('Full');
    expect(messages[3]?.content).toContain('Partial');
    expect(messages[3]?.content).toContain(INCOMPLETE_DEMO_NOTICE);
    expect(messages[4]?.content).toContain(NOT_SUPPLIED);
  });

  it('names the missing required field (ADAPTER_PARSE, found lists what was there)', () => {
    const partial =
      adapter.format(kinds, {
        history: [{ inputs: { text: 'a' }, outputs: { count: 1, ok: true, labels: [] } }],
        inputs: { text: 'a' },
      })[2]?.content ?? '';
    const err = caught(() => adapter.parse(kinds, partial));
    expect(isDspyError(err, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(err)) {
      expect(err.message).toContain("'level'");
      expect(err.details.found).toEqual(['count', 'ok', 'labels']);
      expect(err.details.raw).toBe(partial);
    }
  });

  it('names the field whose value is invalid', () => {
    const bad = { count: 'many', ok: true, level: 'low', labels: [] };
    const completion =
      adapter.format(kinds, { history: [{ inputs: { text: 'a' }, outputs: bad }], inputs: { text: 'a' } })[2]
        ?.content ?? '';
    const err = caught(() => adapter.parse(kinds, completion));
    expect(isDspyError(err, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(err)) expect(err.details).toMatchObject({ field: 'count', adapter: name });
  });

  it('round-trips ToolCalls in text mode, and takes them from the response in native mode', () => {
    const calls = new ToolCalls([{ name: 'weather', args: { city: 'Paris' } }]);
    const text = make(false);
    const answer =
      text.format(agentSpec, { demos: [{ question: 'q', thought: 'Check.', calls }], inputs })[2]?.content ??
      '';
    const out = text.parse(agentSpec, answer);
    expect(out.thought).toBe('Check.');
    expect((out.calls as ToolCalls).calls.map((c) => [c.name, c.args])).toEqual([
      ['weather', { city: 'Paris' }],
    ]);
    const native = make(true);
    const toolCalls = [{ id: 'c9', name: 'weather', arguments: { city: 'Rome' } }];
    const nat = native.parse(agentSpec, answer, { toolCalls });
    expect((nat.calls as ToolCalls).calls).toEqual([{ id: 'c9', name: 'weather', args: { city: 'Rome' } }]);
    expect(native.parse(agentSpec, 'Looking it up.', { toolCalls }).thought).toBe('Looking it up.');
    expect(native.requestOptions?.(agentSpec, scriptedLM([]), { inputs })?.tools?.map((t) => t.name)).toEqual(
      ['weather'],
    );
  });
});

/**
 * The same contract for `TwoStepAdapter`, whose answers take two calls: the main LM answers
 * in prose (`name: value` lines, the way demos are shown), and the extraction model reads the
 * typed outputs through the JSON adapter, whose errors it reports.
 */
describe('Adapter contract: TwoStepAdapter', () => {
  const json = new JSONAdapter();
  const twoStep = (extractionModel = scriptedLM([])) => new TwoStepAdapter({ extractionModel });
  /** The JSON adapter's answer for `outputs` of `spec`'s extraction step. */
  const extracted = (spec: SignatureSpec<object, object>, outputs: Record<string, unknown>) =>
    json.format(extractionSpecOf(spec), { demos: [{ text: 'x', ...outputs }], inputs: { text: 'x' } })[2]
      ?.content ?? '';

  it('has its name', () => {
    expect(twoStep().name).toBe('TwoStepAdapter');
  });

  it.each(cases)(
    '%s: system first, one user/assistant pair per demo and history turn, final user; no field format',
    (_c, spec, inputs, outputs) => {
      const messages = twoStep().format(spec, {
        demos: [{ ...inputs, ...outputs }],
        history: [{ inputs, outputs }],
        inputs,
      });
      expect(messages.map((m) => m.role)).toEqual([
        'system',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
      ]);
      for (const m of messages) expect(m.content).not.toMatch(/[^\S\n]$/m);
      for (const m of messages) expect(m.content).not.toMatch(/\[\[ ## |<\w+>\n/);
      for (const f of spec.outputs) expect(messages[0]?.content).toContain(`- ${f.name} (${f.typeText})`);
      expect(messages[4]?.content).toBe(messages[2]?.content);
    },
  );

  it.each(cases)(
    '%s: call — the main answer goes to the extraction model, whose answer gives the outputs',
    async (_c, spec, inputs, outputs) => {
      const prose = twoStep().format(spec, { demos: [{ ...inputs, ...outputs }], inputs })[2]?.content ?? '';
      const main = scriptedLM([prose]);
      const extraction = scriptedLM([extracted(spec, outputs)]);
      const result = await twoStep(extraction).call(spec, { lm: main, inputs });
      expect(result.outputs).toEqual([outputs]);
      expect(result.response.text).toBe(prose);
      expect(main.requests[0]?.messages).toEqual(result.messages);
      expect(extraction.requests[0]?.messages.at(-1)?.content).toContain(prose);
      expect(result.responses).toHaveLength(2);
    },
  );

  it.each(cases)('%s: parse reads an extraction answer', (_c, spec, _inputs, outputs) => {
    expect(twoStep().parse(spec, extracted(spec, outputs))).toEqual(outputs);
  });

  it('an unusable extraction is ADAPTER_PARSE with expected/found/raw; an empty main answer is LM_EMPTY', async () => {
    const err = caught(() => twoStep().parse(rich, 'nothing useful'));
    expect(isDspyError(err, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(err)) {
      expect(err.details).toMatchObject({ expected: rich.outputs.map((f) => f.name), raw: 'nothing useful' });
    }
    const extraction = scriptedLM([]);
    await expect(
      twoStep(extraction).call(qa, { lm: scriptedLM(['  ']), inputs: { question: 'q' } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'LM_EMPTY' }));
    expect(extraction.requests).toHaveLength(0);
  });

  it('renders an incomplete demo after the complete ones, with the notice', () => {
    const full = { text: 'Full', count: 1, ok: true, level: 'low', labels: [] };
    const messages = twoStep().format(kinds, {
      demos: [{ text: 'Partial', count: 2 }, full],
      inputs: { text: 'Now' },
    });
    expect(messages[1]?.content).toContain('Full');
    expect(messages[3]?.content).toContain('Partial');
    expect(messages[3]?.content).toContain(INCOMPLETE_DEMO_NOTICE);
    expect(messages[4]?.content).toContain(NOT_SUPPLIED);
  });

  it('names the missing required field and the field whose value is invalid', () => {
    const missing = caught(() =>
      twoStep().parse(kinds, extracted(kinds, { count: 1, ok: true, labels: [] })),
    );
    expect(isDspyError(missing, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(missing)) expect(missing.message).toContain("'level'");
    const bad = caught(() =>
      twoStep().parse(kinds, extracted(kinds, { count: 'many', ok: true, level: 'low', labels: [] })),
    );
    expect(isDspyError(bad, 'ADAPTER_PARSE')).toBe(true);
    if (isDspyError(bad)) expect(bad.details).toMatchObject({ field: 'count' });
  });

  it('refuses ToolCalls signatures with ADAPTER_FORMAT', () => {
    expect(() => twoStep().format(agentSpec, { inputs })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_FORMAT' }),
    );
  });
});
