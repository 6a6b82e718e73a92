import { describe, expect, it } from 'vitest';
import { JSONAdapter, outputSchemaOf } from '../../src/adapters/index.js';
import type { JsonSchema } from '../../src/signature/spec.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, str } from './helpers.js';

const one = (schema: JsonSchema, name = 'value') =>
  new SignatureSpec({
    name: 'One',
    instructions: 'x',
    inputs: [str('q')],
    outputs: [field(name, schema, 'T')],
  });

const props = (spec: SignatureSpec<object, object>) =>
  outputSchemaOf(spec).schema.properties as Record<string, JsonSchema>;

describe('outputSchemaOf under strict structured outputs', () => {
  it('leaves out value constraints strict mode rejects, and keeps the ones it accepts', () => {
    const spec = one({
      type: 'object',
      properties: {
        code: { type: 'string', minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' },
        tags: { type: 'array', items: { type: 'string', format: 'uri' }, uniqueItems: true, minItems: 1 },
        when: { type: 'string', format: 'date-time' },
        score: { type: 'number', minimum: 0, maximum: 1 },
      },
      required: ['code', 'tags', 'when', 'score'],
      minProperties: 1,
    });
    const { strict } = outputSchemaOf(spec);
    const value = props(spec).value as { properties: Record<string, JsonSchema>; minProperties?: number };
    expect(strict).toBe(true);
    expect(value.minProperties).toBeUndefined();
    expect(value.properties.code).toEqual({ type: 'string', pattern: '^[A-Z]+$' });
    expect(value.properties.tags).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1 });
    expect(value.properties.when).toEqual({ type: 'string', format: 'date-time' });
    expect(value.properties.score).toEqual({ type: 'number', minimum: 0, maximum: 1 });
  });

  it('sends oneOf as anyOf', () => {
    const spec = one({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(props(spec).value).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(outputSchemaOf(spec).strict).toBe(true);
  });

  it.each([
    ['a tuple (prefixItems)', { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] }],
    ['allOf', { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }] }],
    ['not', { type: 'string', not: { const: 'x' } }],
    ['patternProperties', { type: 'object', patternProperties: { '^x': { type: 'string' } } }],
    ['an untyped value (unknown)', {}],
  ] as const)('is not strict for %s', (_name, schema) => {
    expect(outputSchemaOf(one(schema as JsonSchema)).strict).toBe(false);
  });
});

describe('JSONAdapter.parse of strict answers', () => {
  const person: JsonSchema = {
    $ref: '#/$defs/Person',
    $defs: {
      Person: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          age: { type: 'integer' },
          pets: { type: 'array', items: { $ref: '#/$defs/Pet' } },
        },
        required: ['name'],
      },
      Pet: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          nick: { type: 'string' },
          born: { type: ['string', 'null'] },
        },
        required: ['kind', 'born'],
      },
    },
  };
  const spec = one(person, 'person');

  it('drops null optional properties of nested objects, as strict mode sends them', () => {
    const completion = JSON.stringify({
      person: { name: 'Ann', age: null, pets: [{ kind: 'cat', nick: null, born: null }] },
    });
    expect(new JSONAdapter().parse(spec, completion)).toEqual({
      person: { name: 'Ann', pets: [{ kind: 'cat', born: null }] },
    });
  });

  it('still rejects a null required property', () => {
    const completion = JSON.stringify({ person: { name: null } });
    expect(() => new JSONAdapter().parse(spec, completion)).toThrow(/person/);
  });
});
