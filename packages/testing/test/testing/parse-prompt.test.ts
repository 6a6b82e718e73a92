import { describe, expect, it } from 'vitest';
import { parseBlocks, parsePrompt, parseSystem } from '../../src/index.js';
import { classifyPrompt, classifySystem, qaSystem, qaUser } from './prompts.js';

describe('parsePrompt', () => {
  it('reads fields, kinds, options and instructions from a chat system message', () => {
    const s = parseSystem(classifySystem(['billing', 'refund'], ['Classify the message.', 'Be brief.']));
    expect(s.inputs).toEqual([
      { name: 'text', typeText: 'string', description: 'the customer message', kind: 'string', options: [] },
    ]);
    expect(s.outputs.map((f) => [f.name, f.kind, f.options])).toEqual([
      ['label', 'enum', ['billing', 'refund']],
      ['confidence', 'number', []],
    ]);
    expect(s.instructions).toEqual(['Classify the message.', 'Be brief.']);
    expect(s.json).toBe(false);
  });

  it('keeps reading fields after a description that spans lines', () => {
    const sys = classifySystem(['a', 'b'], ['x']).replace(
      'the customer message',
      'the customer message,\nas typed',
    );
    const s = parseSystem(sys);
    expect(s.outputs.map((f) => f.name)).toEqual(['label', 'confidence']);
    expect(s.outputs[0]?.options).toEqual(['a', 'b']);
  });

  it('reads JSON schema notes and nested parentheses in types', () => {
    const sys = [
      'Your input fields are:',
      '1. `items` ((string | number)[]): things',
      'Your output fields are:',
      '1. `info` (Info)',
      'All interactions will be structured in the following way, with the appropriate values filled in.',
      '',
      '[[ ## items ## ]]',
      '{items}',
      '',
      '[[ ## info ## ]]',
      '{info}        # note: the value you produce must adhere to the JSON schema: {"type":"object","properties":{"a":{"type":"string"}}}',
      '',
      '[[ ## completed ## ]]',
      'In adhering to this structure, your objective is:',
      '        Given the fields `items`, produce the fields `info`.',
    ].join('\n');
    const s = parseSystem(sys);
    expect(s.inputs[0]).toMatchObject({
      name: 'items',
      typeText: '(string | number)[]',
      description: 'things',
    });
    expect(s.outputs[0]).toMatchObject({ kind: 'json', schema: { type: 'object' } });
  });

  it('reads demos, skips "not supplied" values and strips the closing request', () => {
    const msgs = classifyPrompt(['a', 'b'], ['x'], [{ text: 'one', label: 'a' }], 'two\nlines');
    msgs.splice(
      3,
      0,
      {
        role: 'user',
        content:
          'This is an example of the task, though some input or output fields are not supplied.\n\n[[ ## text ## ]]\nthree',
      },
      {
        role: 'assistant',
        content:
          '[[ ## label ## ]]\nNot supplied for this particular example.\n\n[[ ## confidence ## ]]\n1\n\n[[ ## completed ## ]]',
      },
    );
    const p = parsePrompt(msgs);
    expect(p.demos).toEqual([
      { inputs: { text: 'one' }, outputs: { label: 'a', confidence: '0.9' } },
      { inputs: { text: 'three' }, outputs: { confidence: '1' } },
    ]);
    expect(p.inputs).toEqual({ text: 'two\nlines' });
  });

  it('detects JSON prompts by responseFormat or by the structure block', () => {
    const msgs = [
      { role: 'system' as const, content: qaSystem },
      { role: 'user' as const, content: qaUser('Why?') },
    ];
    expect(parsePrompt(msgs).json).toBe(false);
    expect(parsePrompt(msgs, { responseFormat: { type: 'json_object' } }).json).toBe(true);
    const jsonSystem = qaSystem.replace(
      '[[ ## answer ## ]]\n{answer}',
      'Outputs will be a JSON object with the following fields.\n{\n  "answer": "{answer}"\n}',
    );
    expect(parseSystem(jsonSystem).json).toBe(true);
  });

  it('parseBlocks keeps the first of repeated sections and text after a marker', () => {
    expect(
      parseBlocks('junk\n[[ ## a ## ]] inline\nmore\n[[ ## a ## ]]\nagain\n[[ ## completed ## ]]'),
    ).toEqual({
      a: 'inline\nmore',
    });
  });
});
