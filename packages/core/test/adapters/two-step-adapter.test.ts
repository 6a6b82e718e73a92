import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { TwoStepAdapter } from '../../src/adapters/index.js';
import { isDspyError } from '../../src/errors.js';
import { Predict } from '../../src/index.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, scriptedLM, str } from './helpers.js';
import { agentSpec } from './tools-fixtures.js';

const solve = new SignatureSpec({
  name: 'Solve',
  instructions: 'Solve the word problem.',
  inputs: [str('problem', { description: 'a short word problem' })],
  outputs: [str('explanation'), field('answer', { type: 'number' }, 'number')],
});

const prose = 'Three bags of four apples make twelve apples.\nSo the answer is 12.';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('TwoStepAdapter.format', () => {
  const adapter = new TwoStepAdapter({ extractionModel: scriptedLM([]) });

  it('gives the main LM a natural prompt: the task, the inputs and the outputs in prose, no field format', () => {
    const messages = adapter.format(solve, {
      demos: [{ problem: 'Two and two?', explanation: 'Two plus two.', answer: 4 }],
      history: [{ inputs: { problem: 'One and one?' }, outputs: { explanation: 'Add.', answer: 2 } }],
      inputs: { problem: 'Three bags of four apples?' },
    });
    const system = messages[0]?.content ?? '';
    expect(system).toContain('Solve the word problem.');
    expect(system).toContain('- problem (string): a short word problem');
    expect(system).toContain('- answer (number)');
    for (const m of messages) {
      expect(m.content).not.toContain('[[ ##');
      expect(m.content).not.toMatch(/<answer>|JSON/);
    }
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[1]?.content).toBe('problem: Two and two?');
    expect(messages[2]?.content).toBe('explanation: Two plus two.\n\nanswer: 4');
    expect(messages[4]?.content).toBe('explanation: Add.\n\nanswer: 2');
    expect(messages[5]?.content).toBe(
      'problem: Three bags of four apples?\n\nAnswer the task; make sure your answer gives: explanation, answer.',
    );
  });

  it('refuses Tool[] inputs and ToolCalls outputs with ADAPTER_FORMAT naming the signature', () => {
    const err = caught(() => adapter.format(agentSpec, { inputs: { question: 'q' } }));
    expect(isDspyError(err, 'ADAPTER_FORMAT')).toBe(true);
    if (isDspyError(err)) {
      expect(err.message).toContain(agentSpec.name);
      expect(String(err.details.fix)).toContain('ChatAdapter');
    }
  });

  it('needs an extraction model', () => {
    const make = () => new TwoStepAdapter({} as { extractionModel: never });
    expect(isDspyError(caught(make), 'OPTION_INVALID')).toBe(true);
  });
});

describe('TwoStepAdapter.call', () => {
  it('extracts typed outputs from the main answer with the extraction model and JSON adapter', async () => {
    const main = scriptedLM([prose]);
    const extractor = scriptedLM(['{"explanation": "Three times four.", "answer": "12"}']);
    const adapter = new TwoStepAdapter({ extractionModel: extractor });
    const result = await adapter.call(solve, { lm: main, inputs: { problem: 'Three bags of four apples?' } });
    expect(result.outputs).toEqual([{ explanation: 'Three times four.', answer: 12 }]);
    expect(result.adapter).toBe('TwoStepAdapter');
    expect(result.responses?.map((r) => r.text)).toEqual([
      prose,
      '{"explanation": "Three times four.", "answer": "12"}',
    ]);
    expect(main.requests[0]?.responseFormat).toBeUndefined();
    expect(extractor.requests[0]?.responseFormat).toEqual({ type: 'json_object' });
    expect(extractor.requests[0]?.messages.at(-1)?.content).toContain(prose);
  });

  it('extracts every completion when n > 1', async () => {
    const main = scriptedLM([['It is 12.', 'It is 13.']]);
    const extractor = scriptedLM([
      '{"explanation": "a", "answer": 12}',
      '{"explanation": "b", "answer": 13}',
    ]);
    const result = await new TwoStepAdapter({ extractionModel: extractor }).call(solve, {
      lm: main,
      inputs: { problem: 'p' },
      request: { n: 2 },
    });
    expect(result.outputs.map((o) => o.answer)).toEqual([12, 13]);
    expect(result.responses).toHaveLength(3);
  });

  it('reports an empty main answer as LM_EMPTY without calling the extractor', async () => {
    const extractor = scriptedLM([]);
    const err = await new TwoStepAdapter({ extractionModel: extractor })
      .call(solve, { lm: scriptedLM(['  ']), inputs: { problem: 'p' } })
      .catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_EMPTY')).toBe(true);
    expect(extractor.requests).toHaveLength(0);
  });

  it('counts the usage and calls of both steps in the prediction', async () => {
    // Every scripted response uses 2 tokens (1 prompt, 1 completion).
    const main = scriptedLM([prose]);
    const extractor = scriptedLM(['{"explanation": "Three times four.", "answer": 12}']);
    const predict = new Predict(solve, {
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
    });
    const pred = await predict.forward({ problem: 'Three bags of four apples?' });
    expect(pred.get('answer')).toBe(12);
    expect(pred.lmCalls).toBe(2);
    expect(pred.usage).toEqual({ promptTokens: 2, completionTokens: 2, totalTokens: 4 });
  });

  it('works with ScriptedLM on both sides (prose answer, then a structured extraction)', async () => {
    const extractor = new ScriptedLM([{ explanation: 'Three times four.', answer: 12 }]);
    const adapter = new TwoStepAdapter({ extractionModel: extractor });
    const pred = await new Predict(solve, { lm: new ScriptedLM([prose]), adapter }).forward({ problem: 'p' });
    expect(pred.get('answer')).toBe(12);
    expect(extractor.requests[0]?.responseFormat?.type).toBe('json_schema');
  });
});
