import { describe, expect, it } from 'vitest';
import { ChatAdapter, JSONAdapter } from '../../src/adapters/index.js';
import type { Adapter } from '../../src/adapters/types.js';
import { isDspyError } from '../../src/errors.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, qa, rich, richOutputs, scriptedLM, str } from './helpers.js';

/** One shared suite that every adapter must pass. */
const adapters: [string, () => Adapter][] = [
  ['ChatAdapter', () => new ChatAdapter({ fallback: false })],
  ['JSONAdapter', () => new JSONAdapter()],
];

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
];

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
});
