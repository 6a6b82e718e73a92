import { describe, expect, it } from 'vitest';
import { XMLAdapter } from '../../src/adapters/index.js';
import { isDspyError } from '../../src/errors.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, qa, scriptedLM, str } from './helpers.js';
import { inputs as agentInputs, agentSpec } from './tools-fixtures.js';

const adapter = new XMLAdapter();

const order = new SignatureSpec({
  name: 'Order',
  instructions: 'Read the order.',
  inputs: [str('text')],
  outputs: [
    field(
      'order',
      {
        type: 'object',
        properties: { id: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } } },
        required: ['id', 'items'],
        additionalProperties: false,
      },
      'Order',
    ),
    field('total', { type: 'number' }, 'number'),
  ],
});

describe('XMLAdapter.format', () => {
  it('describes the structure with tags in the system message and writes inputs as elements', () => {
    const messages = adapter.format(qa, { inputs: { question: 'Capital of France?' } });
    expect(messages[0]?.content).toContain('<question>\n{question}\n</question>');
    expect(messages[0]?.content).toContain('<answer>\n{answer}\n</answer>');
    expect(messages[0]?.content).not.toContain('[[ ##');
    expect(messages[1]?.content).toBe(
      '<question>\nCapital of France?\n</question>\n\n' +
        'Respond with the corresponding output fields wrapped in XML tags, starting with `<answer>`; close every tag.',
    );
  });

  it('writes a nested object as JSON inside its element, with the type note in the structure', () => {
    const messages = adapter.format(order, {
      demos: [{ text: 'two apples', order: { id: 1, items: ['apple', 'apple'] }, total: 2 }],
      inputs: { text: 'a pear' },
    });
    expect(messages[0]?.content).toMatch(
      /<\/order>\s+# note: the value you produce must adhere to the JSON schema/,
    );
    expect(messages[2]?.content).toBe(
      '<order>\n{"id":1,"items":["apple","apple"]}\n</order>\n\n<total>\n2\n</total>',
    );
  });

  it('gives text-mode tool results back as a <tool_results> element', () => {
    const text = new XMLAdapter({ nativeToolCalls: false });
    const messages = text.format(agentSpec, { inputs: agentInputs });
    const last = messages.at(-1)?.content ?? '';
    expect(last).toMatch(/^<tool_results>\n[\s\S]*sunny[\s\S]*\n<\/tool_results>/);
    expect(messages.at(-2)?.content).toContain('<thought>\nLook it up.\n</thought>');
  });
});

describe('XMLAdapter.parse', () => {
  it('reads the elements wherever they are, coerced and validated', () => {
    const out = adapter.parse(
      order,
      'Sure.\n<order>{"id": 3, "items": ["fig"]}</order>\nand <total>\n 1,250.5 \n</total> done',
    );
    expect(out).toEqual({ order: { id: 3, items: ['fig'] }, total: 1250.5 });
  });

  it('does not read an element left open', () => {
    let caught: unknown;
    try {
      adapter.parse(qa, '<answer>\nParis');
    } catch (e) {
      caught = e;
    }
    expect(isDspyError(caught, 'ADAPTER_PARSE')).toBe(true);
  });
});

describe('XMLAdapter.call', () => {
  it('retries once through the JSON adapter when the completion does not parse', async () => {
    const lm = scriptedLM(['Paris, I think.', '{"answer": "Paris"}']);
    const result = await adapter.call(qa, { lm, inputs: { question: 'Capital?' } });
    expect(result.outputs).toEqual([{ answer: 'Paris' }]);
    expect(result.adapter).toBe('JSONAdapter');
    expect(result.responses).toHaveLength(2);
  });

  it('parses its own answer without a retry', async () => {
    const lm = scriptedLM(['<answer>\nParis\n</answer>']);
    const result = await adapter.call(qa, { lm, inputs: { question: 'Capital?' } });
    expect(result).toMatchObject({ outputs: [{ answer: 'Paris' }], adapter: 'XMLAdapter' });
    expect(lm.requests).toHaveLength(1);
  });
});
