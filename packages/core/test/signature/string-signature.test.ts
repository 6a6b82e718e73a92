import { describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import { signature } from '../../src/signature/index.js';

function parseError(text: string): DspyError {
  try {
    signature(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    expect((e as DspyError).code).toBe('SIGNATURE_PARSE');
    return e as DspyError;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('signature() at run time', () => {
  it('parses typed fields into JSON Schemas, in order', () => {
    const spec = signature('question: string, context: string[] -> answer: string, score: number');
    expect(spec.name).toBe('StringSignature');
    expect(spec.instructions).toBe('');
    expect(spec.inputs).toEqual([
      { name: 'question', schema: { type: 'string' }, typeText: 'string' },
      { name: 'context', schema: { type: 'array', items: { type: 'string' } }, typeText: 'string[]' },
    ]);
    expect(spec.outputs).toEqual([
      { name: 'answer', schema: { type: 'string' }, typeText: 'string' },
      { name: 'score', schema: { type: 'number' }, typeText: 'number' },
    ]);
  });

  it('defaults untyped names to string and reads optional, integer, boolean', () => {
    const spec = signature('question, hint? -> answer, steps?: integer, ok: boolean');
    expect(spec.inputs.map((f) => [f.name, f.typeText, f.optional ?? false])).toEqual([
      ['question', 'string', false],
      ['hint', 'string', true],
    ]);
    expect(spec.outputs.map((f) => [f.name, f.schema, f.optional ?? false])).toEqual([
      ['answer', { type: 'string' }, false],
      ['steps', { type: 'integer' }, true],
      ['ok', { type: 'boolean' }, false],
    ]);
  });

  it('reads literal unions, arrays of unions, nested arrays and DSPy type names', () => {
    const spec = signature(
      `text -> label: 'positive' | "negative" | 'a, b', tags: ('x' | 'y')[], grid: number[][], n: int, words: list[str]`,
    );
    const [label, tags, grid, n, words] = spec.outputs;
    expect(label).toMatchObject({
      typeText: "'positive' | 'negative' | 'a, b'",
      schema: { type: 'string', enum: ['positive', 'negative', 'a, b'] },
    });
    expect(tags).toMatchObject({
      typeText: "('x' | 'y')[]",
      schema: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } },
    });
    expect(grid?.schema).toEqual({ type: 'array', items: { type: 'array', items: { type: 'number' } } });
    expect(n?.schema).toEqual({ type: 'integer' });
    expect(words?.typeText).toBe('string[]');
    expect(signature('x -> level: 1 | 2 | 3').outputs[0]?.schema).toEqual({
      type: 'number',
      enum: [1, 2, 3],
    });
    expect(signature('x -> v: string | number').outputs[0]?.schema).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('handles whitespace and newlines, and allows no inputs', () => {
    const spec = signature('  question :  string ,\n  context:string[]\n->\n answer  ');
    expect(spec.inputs.map((f) => f.name)).toEqual(['question', 'context']);
    expect(signature('-> joke').inputs).toEqual([]);
  });

  it('takes instructions and a name, and caches equal requests', () => {
    const a = signature('q -> a', { instructions: 'Answer.', name: 'Short' });
    expect(a.instructions).toBe('Answer.');
    expect(a.name).toBe('Short');
    expect(signature('q -> a', { instructions: 'Answer.', name: 'Short' })).toBe(a);
    expect(signature('q -> a')).not.toBe(a);
  });

  it('reports errors with the column and a caret', () => {
    const unknown = parseError('question: strin -> answer');
    expect(unknown.message).toContain("unknown type 'strin' (column 11)");
    expect(unknown.details.column).toBe(11);
    expect(unknown.message).toContain('\n  question: strin -> answer\n            ^');

    expect(parseError('question answer').message).toContain("missing '->'");
    expect(parseError('a -> b -> c').details.column).toBe(8);
    expect(parseError('a, , b -> c').message).toContain('empty input field (column 3)');
    expect(parseError('a -> ').message).toContain('no output fields');
    expect(parseError('a -> b, a').message).toContain("field 'a' is declared twice (column 9)");
    expect(parseError('a -> 1b').message).toContain('expected a field name');
    expect(parseError('a -> b:').message).toContain("missing type after 'b:'");
    expect(parseError("a -> b: 'x").message).toContain('unterminated');
    expect(parseError('a b -> c').message).toContain("expected ':' or ',' after 'a'");
    expect(parseError('a -> completed').message).toContain("'completed' cannot be a field name");
    expect(parseError("a -> b: 'x' |").message).toContain('empty member');
  });

  it('keeps the edge cases of the grammar: spaced fixed types, mixed literals, nested arrays, columns', () => {
    const tools = signature('t: Array< Tool > -> x');
    expect(tools.inputs[0]?.typeText).toBe('Tool[]');
    // Only History must be written without inner spaces; 'His tory' is an unknown type.
    expect(parseError('h: His tory -> x').message).toContain("unknown type 'His tory' (column 4)");
    const mixed = signature("a -> b: 1 | 'x', c: -1.5 | 2, d: true | false");
    expect(mixed.outputs.map((f) => f.schema)).toEqual([
      { enum: [1, 'x'] },
      { type: 'number', enum: [-1.5, 2] },
      { type: 'boolean', enum: [true, false] },
    ]);
    const nested = signature('a -> b: Array<list[int]>, c: (string | number)[]');
    expect(nested.outputs.map((f) => f.typeText)).toEqual(['integer[][]', '(string | number)[]']);
    expect(nested.outputs[0]?.schema).toEqual({
      type: 'array',
      items: { type: 'array', items: { type: 'integer' } },
    });
    expect(parseError('c: Code[py> -> x').message).toContain("'c: Code[py>' is not a Code type");
    expect(parseError('a -> b: constructor').message).toContain("unknown type 'constructor' (column 9)");
    expect(parseError('x -> a: ToolCalls, b: ToolCalls').details.column).toBe(20);
    expect(parseError('x: Reasoning -> y').details.fix).toMatch(/^Reasoning is what a model writes/);
  });
});
