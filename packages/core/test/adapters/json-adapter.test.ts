import { describe, expect, it } from 'vitest';
import { compileSchema, JSONAdapter, outputSchemaOf } from '../../src/adapters/index.js';
import { DspyError } from '../../src/errors.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, qa, rich, richOutputs, scriptedLM, str } from './helpers.js';

const adapter = new JSONAdapter();

describe('JSONAdapter.format', () => {
  it('keeps the field descriptions and describes inputs as markers and outputs as one JSON object', () => {
    const [system, user] = adapter.format(qa, { inputs: { question: 'What is the capital of France?' } });
    expect(system?.content).toBe(`Your input fields are:
1. \`question\` (string)
Your output fields are:
1. \`answer\` (string)
All interactions will be structured in the following way, with the appropriate values filled in.

Inputs will have the following structure:

[[ ## question ## ]]
{question}

Outputs will be a JSON object with the following fields, in this order:

{
  "answer": "{answer}"
}
In adhering to this structure, your objective is:
        Answer the question.`);
    expect(user?.content).toBe(
      '[[ ## question ## ]]\nWhat is the capital of France?\n\nRespond with a JSON object in the following order of fields: `answer`.',
    );
  });

  it('adds notes to typed outputs and parentheticals to the final message', () => {
    const [system, user] = adapter.format(rich, { inputs: { ticket: 't', tags: [] } });
    expect(system?.content).toContain(
      '  "summary": "{summary}",\n  "confidence": "{confidence}",        # note: the value you produce must be a single number',
    );
    expect(system?.content).toContain(
      '  "entities": "{entities}"        # note: the value you produce must adhere to the JSON schema:',
    );
    expect(user?.content).toContain(
      '`summary`, then `confidence` (must be formatted as a valid number), then `priority`',
    );
    for (const m of [system, user]) expect(m?.content).not.toMatch(/[^\S\n]$/m);
  });

  it('renders demo outputs as JSON objects, incomplete ones with the notice', () => {
    const messages = adapter.format(qa.withField('output', field('score', { type: 'number' }, 'number')), {
      demos: [
        { question: 'q1', answer: 'a1' },
        { question: 'q2', answer: 'a2', score: 1 },
      ],
      inputs: { question: 'q' },
    });
    expect(messages[2]?.content).toBe('{\n  "answer": "a2",\n  "score": 1\n}');
    expect(messages[3]?.content).toMatch(
      /^This is an example of the task, though some input or output fields are not supplied\./,
    );
    expect(JSON.parse(messages[4]?.content ?? '')).toEqual({
      answer: 'a1',
      score: 'Not supplied for this particular example.',
    });
  });
});

describe('JSONAdapter.parse', () => {
  it('reads the JSON object and keeps output keys only', () => {
    expect(adapter.parse(qa, '{"answer": "Paris", "reasoning": "obvious", "question": "x"}')).toEqual({
      answer: 'Paris',
    });
  });

  it('repairs and finds the object inside text', () => {
    expect(adapter.parse(qa, "Here you go:\n```json\n{'answer': 'Paris',}\n```")).toEqual({
      answer: 'Paris',
    });
    expect(adapter.parse(qa, 'The result is {answer: "Paris"}.')).toEqual({ answer: 'Paris' });
  });

  it('coerces and validates every field', () => {
    const text = JSON.stringify({
      ...richOutputs,
      confidence: '0.9',
      priority: '2',
      urgent: 'True',
      sentiment: 'Negative',
    });
    expect(adapter.parse(rich, text)).toEqual(richOutputs);
    expect(adapter.parse(rich, JSON.stringify({ ...richOutputs, entities: '[{"name":"ACME"}]' }))).toEqual(
      richOutputs,
    );
  });

  it('takes a number or boolean for a string field as its text', () => {
    expect(adapter.parse(qa, '{"answer": 42}')).toEqual({ answer: '42' });
  });

  it('drops null optional outputs, and reports missing or invalid ones', () => {
    const spec = qa.withField('output', { ...str('note'), optional: true });
    expect(adapter.parse(spec, '{"answer": "a", "note": null}')).toEqual({ answer: 'a' });
    let err: unknown;
    try {
      adapter.parse(rich, JSON.stringify({ ...richOutputs, priority: 2.5, urgent: undefined }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('ADAPTER_PARSE');
    expect((err as DspyError).details.adapter).toBe('JSONAdapter');
    expect((err as DspyError).details.field).toBe('priority');
    expect((err as DspyError).details.found).toEqual([
      'summary',
      'confidence',
      'priority',
      'sentiment',
      'entities',
    ]);
  });

  it('reports text with no JSON object and empty completions', () => {
    expect(() => adapter.parse(qa, 'Paris')).toThrow(/JSONAdapter could not parse .*no JSON object found/);
    expect(() => adapter.parse(qa, '{"other": 1}')).toThrow(/missing output field 'answer'.*found: \(none\)/);
    expect(() => adapter.parse(qa, ' ')).toThrow(expect.objectContaining({ code: 'LM_EMPTY' }));
  });
});

describe('JSONAdapter.requestOptions and the strict schema', () => {
  it('asks for JSON mode when the LM has no structured outputs', () => {
    expect(adapter.requestOptions(qa, scriptedLM([]))).toEqual({ responseFormat: { type: 'json_object' } });
  });

  it('sends a strict json_schema built from the outputs when the LM supports it', () => {
    const opts = adapter.requestOptions(rich, scriptedLM([], { structured: true }));
    expect(opts.responseFormat).toMatchObject({ type: 'json_schema', name: 'Rich', strict: true });
    const schema = opts.responseFormat?.type === 'json_schema' ? opts.responseFormat.schema : {};
    expect(schema.required).toEqual(['summary', 'confidence', 'priority', 'urgent', 'sentiment', 'entities']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object)).toEqual(schema.required);
    const check = compileSchema(schema);
    expect(check(richOutputs).ok).toBe(true);
    expect(check({ ...richOutputs, extra: 1 }).ok).toBe(false);
  });

  it('closes nested objects, requires every property, makes optional ones nullable, hoists $defs', () => {
    const spec = new SignatureSpec({
      name: 'Nested thing!',
      instructions: 'x',
      inputs: [str('q')],
      outputs: [
        field(
          'person',
          {
            $ref: '#/$defs/Person',
            $defs: {
              Person: {
                type: 'object',
                properties: { name: { type: 'string' }, age: { type: 'integer', default: 3 } },
                required: ['name'],
              },
            },
          },
          'Person',
        ),
        field(
          'other',
          {
            $ref: '#/$defs/Person',
            $defs: { Person: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
          },
          'OtherPerson',
        ),
        { ...str('note'), optional: true },
      ],
    });
    const { name, schema, strict } = outputSchemaOf(spec);
    expect(name).toBe('Nested_thing_');
    expect(strict).toBe(true);
    expect(schema.required).toEqual(['person', 'other', 'note']);
    const defs = schema.$defs as Record<string, Record<string, unknown>>;
    expect(defs.Person).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
      required: ['name', 'age'],
      additionalProperties: false,
    });
    expect(defs.other_Person?.required).toEqual(['id']);
    expect((schema.properties as Record<string, unknown>).other).toEqual({ $ref: '#/$defs/other_Person' });
    const check = compileSchema(schema);
    expect(check({ person: { name: 'a', age: null }, other: { id: 'x' }, note: null }).ok).toBe(true);
    expect(check({ person: { name: 'a', age: 1 }, other: { name: 'x' }, note: 'n' }).ok).toBe(false);
  });

  it('falls back to strict: false for open-ended maps', () => {
    const spec = new SignatureSpec({
      name: 'Map',
      instructions: 'x',
      inputs: [str('q')],
      outputs: [
        field(
          'counts',
          { type: 'object', additionalProperties: { type: 'integer' } },
          'Record<string, number>',
        ),
      ],
    });
    const opts = adapter.requestOptions(spec, scriptedLM([], { structured: true }));
    expect(opts.responseFormat).toMatchObject({ type: 'json_schema', strict: false });
  });
});
