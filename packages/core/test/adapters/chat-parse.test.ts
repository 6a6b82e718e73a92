import { describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../src/adapters/index.js';
import { DspyError } from '../../src/errors.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, qa, rich, richCompletion, richOutputs, str } from './helpers.js';

const adapter = new ChatAdapter();

function parseError(spec: SignatureSpec<object, object>, completion: string): DspyError {
  try {
    adapter.parse(spec, completion);
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

const one = (schema: Record<string, unknown>, typeText: string, extra = {}) =>
  new SignatureSpec({
    name: 'One',
    instructions: 'x',
    inputs: [str('q')],
    outputs: [field('v', schema as never, typeText, extra)],
  });

const readValue = (spec: SignatureSpec<object, object>, text: string) =>
  adapter.parse(spec, `[[ ## v ## ]]\n${text}\n\n[[ ## completed ## ]]`).v;

describe('ChatAdapter.parse: sections', () => {
  it('reads every output of a well-formed completion with coercion', () => {
    expect(adapter.parse(rich, richCompletion)).toEqual(richOutputs);
  });

  it('ignores text before the first marker, unknown names, completed and repeats', () => {
    const text = [
      'Sure, here is my answer.',
      '[[ ## reasoning ## ]]',
      'not a field of this signature',
      '[[ ## answer ## ]]',
      '  Paris  ',
      '[[ ## answer ## ]]',
      'London',
      '[[ ## completed ## ]]',
      'trailing chatter',
    ].join('\n');
    expect(adapter.parse(qa, text)).toEqual({ answer: 'Paris' });
  });

  it('takes text after the marker on the same line, and markers on indented lines', () => {
    expect(adapter.parse(qa, '   [[ ## answer ## ]] Paris\nis the capital')).toEqual({
      answer: 'Paris\nis the capital',
    });
  });

  it('keeps a marker that is not at a line start as text', () => {
    expect(adapter.parse(qa, '[[ ## answer ## ]]\nsee [[ ## completed ## ]] here')).toEqual({
      answer: 'see [[ ## completed ## ]] here',
    });
  });

  it('keeps a multi-line string value as it is (trimmed only)', () => {
    expect(adapter.parse(qa, '[[ ## answer ## ]]\n\n  line 1\n\n    line 2  \n\n')).toEqual({
      answer: 'line 1\n\n    line 2',
    });
  });

  it('tolerates extra spaces inside markers and CRLF line ends', () => {
    expect(adapter.parse(qa, '[[##  answer ##]]\r\nParis\r\n\r\n[[ ## completed ## ]]\r\n')).toEqual({
      answer: 'Paris',
    });
  });

  it('allows an optional output to be missing', () => {
    const spec = qa.withField('output', { ...str('note'), optional: true });
    expect(adapter.parse(spec, '[[ ## answer ## ]]\nParis')).toEqual({ answer: 'Paris' });
  });
});

describe('ChatAdapter.parse: errors', () => {
  it('names the adapter, expected fields, found fields and carries the raw completion', () => {
    const raw = '[[ ## summary ## ]]\nok\n\n[[ ## confidence ## ]]\n0.5';
    const err = parseError(rich, raw);
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.message).toContain('ChatAdapter');
    expect(err.message).toContain("missing output fields 'priority', 'urgent', 'sentiment', 'entities'");
    expect(err.details.adapter).toBe('ChatAdapter');
    expect(err.details.expected).toEqual([
      'summary',
      'confidence',
      'priority',
      'urgent',
      'sentiment',
      'entities',
    ]);
    expect(err.details.found).toEqual(['summary', 'confidence']);
    expect(err.details.raw).toBe(raw);
    expect(err.details.fix).toBeTruthy();
  });

  it('reports a completion with no markers at all', () => {
    const err = parseError(qa, 'Paris');
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.details.found).toEqual([]);
    expect(err.message).toContain("missing output field 'answer'");
    expect(err.message).toContain('found: (none)');
  });

  it('rejects a value that fails ajv validation, naming the field', () => {
    const err = parseError(rich, richCompletion.replace('0.9', '1.5'));
    expect(err.code).toBe('ADAPTER_PARSE');
    expect(err.details.field).toBe('confidence');
    expect(err.message).toMatch(/confidence' is invalid: .*must be <= 1/);
    expect(err.details.found).toContain('entities');
  });

  it('rejects JSON that does not match the schema', () => {
    const err = parseError(rich, richCompletion.replace('[{"name":"ACME"}]', '[{"title":"ACME"}]'));
    expect(err.details.field).toBe('entities');
    expect(err.message).toContain("must have required property 'name'");
  });

  it('makes an empty completion its own error (LM_EMPTY)', () => {
    for (const raw of ['', '  \n\n ']) {
      const err = parseError(qa, raw);
      expect(err.code).toBe('LM_EMPTY');
      expect(err.message).toContain('empty completion');
      expect(err.details.adapter).toBe('ChatAdapter');
    }
  });
});

describe('ChatAdapter.parse: coercion', () => {
  const num = one({ type: 'number' }, 'number');
  const int = one({ type: 'integer' }, 'integer');
  const bool = one({ type: 'boolean' }, 'boolean');
  const lit = one({ type: 'string', enum: ['Positive', 'negative'] }, "'Positive' | 'negative'");

  it.each([
    ['42', 42],
    ['1,234', 1234],
    ['1,234,567.5', 1234567.5],
    ['42.', 42],
    ['-0.5', -0.5],
    ['+3', 3],
    ['1e3', 1000],
    ['"7"', 7],
    ['.5', 0.5],
  ])('number %j → %j', (text, value) => {
    expect(readValue(num, text)).toBe(value);
  });

  it.each(['forty', '12 apples', '1,23', 'NaN', ''])('number rejects %j', (text) => {
    expect(() => readValue(num, text)).toThrow(DspyError);
  });

  it('integers accept whole numbers and reject fractions', () => {
    expect(readValue(int, '3')).toBe(3);
    expect(readValue(int, '3.0')).toBe(3);
    expect(readValue(int, '2,000')).toBe(2000);
    expect(() => readValue(int, '3.5')).toThrow(/not an integer/);
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False.', false],
    ['"true"', true],
    ['yes', true],
    ['No', false],
  ])('boolean %j → %j', (text, value) => {
    expect(readValue(bool, text)).toBe(value);
  });

  it.each(['maybe', '1', 'true story'])('boolean rejects %j', (text) => {
    expect(() => readValue(bool, text)).toThrow(/is not true or false/);
  });

  it.each([
    ['Positive', 'Positive'],
    ['positive', 'Positive'],
    ['NEGATIVE', 'negative'],
    ['"negative"', 'negative'],
    ["'Positive'", 'Positive'],
    ['`negative`', 'negative'],
    ['**Positive**', 'Positive'],
    ['negative.', 'negative'],
  ])('literal union %j → %j', (text, value) => {
    expect(readValue(lit, text)).toBe(value);
  });

  it('literal union prefers the exact match over a case-insensitive one', () => {
    const spec = one({ enum: ['a', 'A'] }, "'a' | 'A'");
    expect(readValue(spec, 'A')).toBe('A');
    expect(readValue(spec, 'a')).toBe('a');
  });

  it('literal union rejects other values', () => {
    expect(() => readValue(lit, 'neutral')).toThrow(/not one of: Positive; negative/);
  });

  it('numeric literal unions give numbers back', () => {
    const spec = one({ anyOf: [{ const: 1 }, { const: 2 }] }, '1 | 2');
    expect(readValue(spec, '2')).toBe(2);
  });

  it('string fields take the text as it is, with its constraints checked', () => {
    expect(readValue(one({ type: 'string' }, 'string'), '  "quoted" text ')).toBe('"quoted" text');
    const dated = one({ type: 'string', format: 'date' }, 'string');
    expect(readValue(dated, '2024-05-01')).toBe('2024-05-01');
    expect(() => readValue(dated, 'May 1st')).toThrow(/must match format "date"/);
  });

  it('nullable and union JSON fields', () => {
    const nullableNum = one({ type: ['number', 'null'] }, 'number | null');
    expect(readValue(nullableNum, 'null')).toBeNull();
    expect(readValue(nullableNum, '3')).toBe(3);
    const strOrList = one(
      { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      'string | string[]',
    );
    expect(readValue(strOrList, '["a","b"]')).toEqual(['a', 'b']);
    expect(readValue(strOrList, 'plain words')).toBe('plain words');
  });

  it('objects and arrays go through JSON repair, then ajv', () => {
    const obj = one(
      { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, required: ['a'] },
      'Obj',
    );
    expect(readValue(obj, '```json\n{"a": 1, "b": "x",}\n```')).toEqual({ a: 1, b: 'x' });
    expect(readValue(obj, "{'a': 2}")).toEqual({ a: 2 });
    expect(readValue(obj, '{a: 3, b: "y"}')).toEqual({ a: 3, b: 'y' });
    expect(readValue(obj, 'Here it is: {"a": 4} — hope that helps')).toEqual({ a: 4 });
    expect(() => readValue(obj, '{"b": "no a"}')).toThrow(/required property 'a'/);
    expect(() => readValue(obj, 'no json here')).toThrow(/not valid JSON/);
    const list = one({ type: 'array', items: { type: 'number' } }, 'number[]');
    expect(readValue(list, 'The list: [1, 2, 3,] done')).toEqual([1, 2, 3]);
  });
});
