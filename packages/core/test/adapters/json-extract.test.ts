import { describe, expect, it } from 'vitest';
import { extractJson } from '../../src/adapters/index.js';

describe('extractJson', () => {
  it.each([
    ['strict JSON', '{"a":1}', { a: 1 }],
    ['a code fence with a language', '```json\n{"a": 1}\n```', { a: 1 }],
    ['a bare code fence', '```\n[1, 2]\n```', [1, 2]],
    ['a fence inside prose', 'Sure!\n```json\n{"a": 1}\n```\nDone.', { a: 1 }],
    ['an unclosed fence', '```json\n{"a": 1}', { a: 1 }],
    ['trailing commas', '{"a": [1, 2,], "b": 3,}', { a: [1, 2], b: 3 }],
    ['single quotes', "{'a': 'it is'}", { a: 'it is' }],
    ['unquoted keys', '{a: 1, b_c: "x"}', { a: 1, b_c: 'x' }],
    ['text around the object', 'The answer is {"a": {"b": [1]}} as requested.', { a: { b: [1] } }],
    ['braces inside strings', 'x {"a": "}{", "b": 2} y', { a: '}{', b: 2 }],
    ['a cut-off object', '{"a": 1, "b": "tru', { a: 1, b: 'tru' }],
    ['Python literals', "{'ok': True, 'v': None}", { ok: true, v: null }],
    ['a scalar', '42', 42],
  ])('reads %s', (_name, text, value) => {
    expect(extractJson(text)).toEqual({ ok: true, value });
  });

  it('narrows to objects or arrays when asked', () => {
    expect(extractJson('list [1, 2] then {"a": 1}', '{')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('obj {"a": 1} then [1, 2]', '[')).toEqual({ ok: true, value: [1, 2] });
  });

  it('takes the first balanced object when more follow', () => {
    expect(extractJson('{"a": 1} and {"b": 2}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each(['', 'no json at all', '```\n```'])('fails on %j', (text) => {
    expect(extractJson(text, '{').ok).toBe(false);
  });
});
