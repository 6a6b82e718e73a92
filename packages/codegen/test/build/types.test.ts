import type { JsonSchema } from '@dspy-ts/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/types.js';
import { buildFixture, fieldOf, makeAjv, signatureOf } from './helpers.js';

let result: BuildResult;
beforeAll(async () => {
  result = await buildFixture('types');
});

const schemaOf = (sig: string, field: string): JsonSchema => fieldOf(signatureOf(result, sig), field).schema;
const obj = (
  properties: Record<string, unknown>,
  required = Object.keys(properties),
  extra: unknown = false,
) => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  additionalProperties: extra,
});
const str = { type: 'string' };
const num = { type: 'number' };
const strings = { type: 'array', items: str };

describe('build step: type → JSON Schema', () => {
  it('builds the whole corpus without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.signatures.map((s) => s.name)).toEqual([
      'Agent.next',
      'Arrays',
      'Chat.reply',
      'Conversation',
      'Dates',
      'DescribedCalls',
      'Enums',
      'Generics',
      'Intersections',
      'Literals',
      'Nested',
      'NextCalls',
      'Optional',
      'Primitives',
      'ReadonlyFields',
      'Records',
      'Recursive',
      'Support.classify',
      'Tags',
      'Tuples',
      'Unions',
      'Utility',
    ]);
  });

  it('History from @dspy-ts/core → the marked schema adapters read (class field and method parameter)', () => {
    const history = {
      type: 'object',
      'x-dspy-type': 'History',
      properties: { messages: { type: 'array', items: { type: 'object' } } },
      required: ['messages'],
    };
    expect(fieldOf(signatureOf(result, 'Conversation'), 'history')).toEqual({
      name: 'history',
      schema: history,
      typeText: 'History',
    });
    expect(schemaOf('Chat.reply', 'history')).toEqual(history);
    expect(schemaOf('Conversation', 'question')).toEqual(str);
  });

  it('Tool[] and ToolCalls from @dspy-ts/core → the marked schemas adapters read (class, method, JSDoc)', () => {
    const tools = { type: 'array', 'x-dspy-type': 'Tool[]', items: { type: 'object' } };
    const calls = {
      type: 'object',
      'x-dspy-type': 'ToolCalls',
      properties: {
        calls: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: str, name: str, args: { type: 'object' } },
            required: ['name', 'args'],
          },
        },
      },
      required: ['calls'],
    };
    const cls = signatureOf(result, 'NextCalls');
    expect(cls.inputs).toEqual([
      { name: 'question', schema: str, typeText: 'string' },
      { name: 'tools', schema: tools, typeText: 'Tool[]' },
    ]);
    expect(cls.outputs).toEqual([
      { name: 'thought', schema: str, typeText: 'string' },
      { name: 'calls', schema: calls, typeText: 'ToolCalls' },
    ]);

    const method = signatureOf(result, 'Agent.next');
    expect(method.kind).toBe('method');
    expect(method.inputs).toEqual([
      { name: 'question', schema: str, typeText: 'string', description: 'what the customer asked' },
      { name: 'tools', schema: tools, typeText: 'Tool[]', description: 'the tools on offer' },
    ]);
    expect(method.outputs).toEqual([
      { name: 'thought', schema: str, typeText: 'string' },
      { name: 'calls', schema: calls, typeText: 'ToolCalls' },
    ]);

    const described = signatureOf(result, 'DescribedCalls');
    expect(described.instructions).toBe("Choose the tools to call for a customer's request.");
    expect(described.inputs).toEqual([
      {
        name: 'tools',
        schema: tools,
        typeText: 'readonly Tool[]',
        description: 'The tools the agent may call.',
      },
      {
        name: 'extraTools',
        schema: tools,
        typeText: 'Array<Tool<string>>',
        description: 'Tools only some requests have.',
        optional: true,
      },
    ]);
    expect(described.outputs).toEqual([
      {
        name: 'calls',
        schema: calls,
        typeText: 'ToolCalls',
        description: 'The calls to make now; none when the request is answered.',
        optional: true,
      },
    ]);
  });

  it('primitives, integer (alias and @integer), descriptions from desc and JSDoc, instructions from JSDoc', () => {
    const sig = signatureOf(result, 'Primitives');
    expect(sig.kind).toBe('class');
    expect(sig.location).toBe('src/primitives.ts:5:14');
    expect(sig.instructions).toBe('Answer questions with short factoid answers.');
    expect(sig.inputs).toEqual([
      { name: 'question', schema: str, typeText: 'string', description: 'the question to answer' },
      { name: 'count', schema: num, typeText: 'number', description: 'How many results to consider.' },
      { name: 'strict', schema: { type: 'boolean' }, typeText: 'boolean' },
    ]);
    expect(sig.outputs).toEqual([
      { name: 'answer', schema: str, typeText: 'string' },
      { name: 'votes', schema: { type: 'integer' }, typeText: 'integer' },
      {
        name: 'page',
        schema: { type: 'integer', minimum: 1 },
        typeText: 'number',
        description: 'The page number.',
      },
    ]);
    expect(sig.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('literal types → const, literal unions → enum (in written order), with null', () => {
    expect(schemaOf('Literals', 'mode')).toEqual({ type: 'string', const: 'fast' });
    expect(schemaOf('Literals', 'version')).toEqual({ type: 'number', const: 2 });
    expect(schemaOf('Literals', 'sentiment')).toEqual({
      type: 'string',
      enum: ['positive', 'negative', 'neutral'],
    });
    expect(schemaOf('Literals', 'stars')).toEqual({ type: 'number', enum: [1, 2, 3, 4, 5] });
    expect(schemaOf('Literals', 'verdict')).toEqual({ type: ['string', 'null'], enum: ['yes', 'no', null] });
    expect(schemaOf('Literals', 'flag')).toEqual({ type: 'boolean', const: true });
    expect(fieldOf(signatureOf(result, 'Literals'), 'sentiment').typeText).toBe(
      "'positive' | 'negative' | 'neutral'",
    );
  });

  it('string and numeric enums, and unions of enum members', () => {
    expect(schemaOf('Enums', 'level')).toEqual({ type: 'number', enum: [0, 1, 10] });
    expect(schemaOf('Enums', 'priority')).toEqual({ type: 'string', enum: ['low', 'medium', 'high'] });
    expect(schemaOf('Enums', 'urgent')).toEqual({ type: 'string', enum: ['high', 'medium'] });
    expect(fieldOf(signatureOf(result, 'Enums'), 'priority').typeText).toBe('Priority');
  });

  it('arrays, Array<T>, ReadonlyArray, readonly T[], integer[] and nested arrays', () => {
    expect(schemaOf('Arrays', 'context')).toEqual(strings);
    expect(schemaOf('Arrays', 'scores')).toEqual({ type: 'array', items: num });
    expect(schemaOf('Arrays', 'frozen')).toEqual(strings);
    expect(schemaOf('Arrays', 'fixed')).toEqual({ type: 'array', items: { type: 'boolean' } });
    expect(schemaOf('Arrays', 'ids')).toEqual({ type: 'array', items: { type: 'integer' } });
    expect(schemaOf('Arrays', 'matrix')).toEqual({ type: 'array', items: { type: 'array', items: num } });
  });

  it('tuples → prefixItems with optional and rest elements', () => {
    expect(schemaOf('Tuples', 'pair')).toEqual({
      type: 'array',
      prefixItems: [str, num],
      items: false,
      minItems: 2,
      maxItems: 2,
    });
    expect(schemaOf('Tuples', 'range')).toEqual({
      type: 'array',
      prefixItems: [num, num],
      items: false,
      minItems: 1,
      maxItems: 2,
    });
    expect(schemaOf('Tuples', 'head')).toEqual({
      type: 'array',
      prefixItems: [str],
      items: num,
      minItems: 1,
    });
  });

  it('optional (?, T | undefined) is not required; T | null is nullable', () => {
    const sig = signatureOf(result, 'Optional');
    expect(sig.inputs.map((f) => [f.name, f.optional ?? false, f.schema])).toEqual([
      ['hint', true, str],
      ['context', true, str],
    ]);
    expect(sig.outputs.map((f) => [f.name, f.optional ?? false, f.schema])).toEqual([
      ['answer', false, { type: ['string', 'null'] }],
      ['score', true, { type: ['number', 'null'] }],
    ]);
  });

  it('other unions → type lists or anyOf with $refs', () => {
    expect(schemaOf('Unions', 'value')).toEqual({ type: ['string', 'number'] });
    expect(schemaOf('Unions', 'query')).toEqual({ anyOf: [str, strings] });
    const circle = obj({ kind: { type: 'string', const: 'circle' }, radius: num });
    const square = obj({ kind: { type: 'string', const: 'square' }, side: num });
    expect(schemaOf('Unions', 'shape')).toEqual({
      anyOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Square' }],
      $defs: { Circle: circle, Square: square },
    });
    expect(schemaOf('Unions', 'maybe')).toEqual({
      anyOf: [{ $ref: '#/$defs/Circle' }, { type: 'null' }],
      $defs: { Circle: circle },
    });
  });

  it('nested interfaces, classes and aliases → $defs (self-contained per field), JSDoc → description', () => {
    const address = {
      ...obj({ street: { type: 'string', description: 'Street and number.' }, city: str, zip: str }, [
        'street',
        'city',
      ]),
      description: 'A postal address.',
    };
    expect(schemaOf('Nested', 'address')).toEqual({ $ref: '#/$defs/Address', $defs: { Address: address } });
    expect(schemaOf('Nested', 'contact')).toEqual({
      $ref: '#/$defs/Contact',
      $defs: {
        Address: address,
        Contact: obj({ person: { $ref: '#/$defs/Person' }, email: { type: 'string', format: 'email' } }),
        Person: obj({
          name: str,
          address: { $ref: '#/$defs/Address', description: 'Where the person lives.' },
        }),
      },
    });
    expect(schemaOf('Nested', 'inline')).toEqual(obj({ title: str, tags: strings }));
  });

  it('recursive interfaces and recursive type aliases', () => {
    expect(schemaOf('Recursive', 'tree')).toEqual({
      $ref: '#/$defs/TreeNode',
      $defs: {
        TreeNode: obj({ label: str, children: { type: 'array', items: { $ref: '#/$defs/TreeNode' } } }),
      },
    });
    const json = { $ref: '#/$defs/Json' };
    expect(schemaOf('Recursive', 'data')).toEqual({
      $ref: '#/$defs/Json',
      $defs: {
        Json: {
          anyOf: [
            str,
            num,
            { type: 'boolean' },
            { type: 'array', items: json },
            { type: 'object', additionalProperties: json },
            { type: 'null' },
          ],
        },
      },
    });
  });

  it('a recursive alias inside a written union (an index signature of Json | undefined) is a $defs entry', () => {
    const json = { $ref: '#/$defs/Json' };
    expect(schemaOf('Recursive', 'keywords')).toEqual({
      $ref: '#/$defs/Keywords',
      $defs: {
        Json: {
          anyOf: [
            str,
            num,
            { type: 'boolean' },
            { type: 'array', items: json },
            { type: 'object', additionalProperties: json },
            { type: 'null' },
          ],
        },
        Keywords: {
          type: 'object',
          description: 'Keywords and their values, as a JSON Schema object holds them.',
          additionalProperties: {
            anyOf: [
              str,
              num,
              { type: 'boolean' },
              { type: 'array', items: json },
              { type: 'object', additionalProperties: json },
              { type: 'null' },
            ],
          },
        },
      },
    });
  });

  it('Record<string, T> and index signatures → additionalProperties; Record over keys → properties', () => {
    expect(schemaOf('Records', 'counts')).toEqual({ type: 'object', additionalProperties: num });
    expect(schemaOf('Records', 'scores')).toEqual({
      $ref: '#/$defs/Scores',
      $defs: { Scores: obj({ total: num }, ['total'], num) },
    });
    expect(schemaOf('Records', 'byLevel')).toEqual(obj({ low: str, high: str }));
    expect(schemaOf('Records', 'labels')).toEqual({ type: 'object', additionalProperties: strings });
  });

  it('intersections are flattened; a branded primitive stays primitive', () => {
    expect(schemaOf('Intersections', 'user')).toEqual(str);
    expect(schemaOf('Intersections', 'entity')).toEqual({
      $ref: '#/$defs/Entity',
      $defs: {
        Entity: obj({
          id: str,
          createdAt: { type: 'string', format: 'date-time', description: 'When it was created.' },
          name: str,
        }),
      },
    });
    expect(schemaOf('Intersections', 'inline')).toEqual(obj({ id: str, extra: num }));
  });

  it('generic instantiations get their own $defs names', () => {
    const ticket = obj({ id: str, title: str, tags: strings });
    expect(schemaOf('Generics', 'page')).toEqual({
      $ref: '#/$defs/Page_Ticket',
      $defs: {
        Page_Ticket: obj({
          items: { type: 'array', items: { $ref: '#/$defs/Ticket' } },
          next: { type: ['string', 'null'] },
        }),
        Ticket: ticket,
      },
    });
    expect(schemaOf('Generics', 'boxed')).toEqual({
      $ref: '#/$defs/Box_number',
      $defs: { Box_number: obj({ value: num }) },
    });
    expect(schemaOf('Generics', 'names')).toEqual({
      $ref: '#/$defs/Page_string',
      $defs: { Page_string: obj({ items: strings, next: { type: ['string', 'null'] } }) },
    });
  });

  it('Partial, Pick, Omit and Required are resolved', () => {
    expect(schemaOf('Utility', 'draft')).toEqual({
      $ref: '#/$defs/Draft',
      $defs: { Draft: obj({ id: str, title: str, tags: strings }, []) },
    });
    expect(schemaOf('Utility', 'summary')).toEqual(obj({ id: str, title: str }));
    expect(schemaOf('Utility', 'withoutTags')).toEqual(obj({ id: str, title: str }));
    expect(schemaOf('Utility', 'complete')).toEqual(obj({ id: str, title: str, tags: strings }));
  });

  it('Date → date-time strings; readonly is accepted', () => {
    expect(schemaOf('Dates', 'since')).toEqual({ type: 'string', format: 'date-time' });
    expect(schemaOf('Dates', 'dueDates')).toEqual({
      type: 'array',
      items: { type: 'string', format: 'date-time' },
    });
    const frozen = obj({ id: str, values: { type: 'array', items: num } });
    expect(schemaOf('ReadonlyFields', 'frozen')).toEqual({
      $ref: '#/$defs/Frozen',
      $defs: { Frozen: frozen },
    });
    expect(schemaOf('ReadonlyFields', 'copy')).toEqual(frozen);
  });

  it('JSDoc tags → JSON Schema keywords; instructions from @Signature({ instructions })', () => {
    const sig = signatureOf(result, 'Tags');
    expect(sig.instructions).toBe('Extract the order details.');
    expect(schemaOf('Tags', 'age')).toEqual({ type: 'number', minimum: 0, exclusiveMaximum: 150 });
    expect(schemaOf('Tags', 'code')).toEqual({
      type: 'string',
      minLength: 2,
      maxLength: 8,
      pattern: '^[A-Z]+$',
    });
    expect(schemaOf('Tags', 'email')).toEqual({
      type: 'string',
      format: 'email',
      examples: ['a@example.com', 'b@example.com'],
    });
    expect(schemaOf('Tags', 'picks')).toEqual({ ...strings, minItems: 1, maxItems: 3 });
    expect(schemaOf('Tags', 'confidence')).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
    });
  });

  it('method signatures: parameters → inputs in order (@param → description), awaited return → outputs', () => {
    const sig = signatureOf(result, 'Support.classify');
    const label = { type: 'string', enum: ['billing', 'technical', 'other'] };
    expect(sig.kind).toBe('method');
    expect(sig.instructions).toBe('Classify a support message.');
    expect(sig.inputs).toEqual([
      { name: 'text', schema: str, typeText: 'string', description: "the customer's message" },
      {
        name: 'labels',
        schema: { type: 'array', items: label },
        typeText: 'Label[]',
        description: 'the labels to choose from',
      },
      { name: 'locale', schema: str, typeText: 'string', optional: true },
    ]);
    expect(sig.outputs).toEqual([
      { name: 'label', schema: label, typeText: 'Label' },
      { name: 'confidence', schema: num, typeText: 'number' },
    ]);
  });

  it('@Tool methods and tool(fn) calls → parameter object schemas and return schemas', () => {
    expect(result.tools.map((t) => [t.name, t.toolName, t.description, t.params])).toEqual([
      ['Support.lookupOrder', 'lookupOrder', 'Look up an order by its id.', ['orderId', 'includeItems']],
      ['Support.sum', 'add', 'Add two numbers.', ['a', 'b']],
      ['search', 'search', 'Search the knowledge base.', ['query', 'limit']],
      ['weather', 'weather', 'Current weather.', ['city']],
    ]);
    const search = result.tools.find((t) => t.name === 'search');
    expect(search?.parameters).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string', description: 'what to look for' },
        limit: { type: 'number', description: 'how many results' },
      },
      required: ['query'],
      additionalProperties: false,
    });
    expect(search?.returns).toEqual(strings);
    const lookup = result.tools.find((t) => t.name === 'Support.lookupOrder');
    expect(lookup?.parameters.required).toEqual(['orderId']);
    expect(lookup?.returns).toEqual(obj({ status: str, items: strings }));
  });
});

/** Values each field must accept and reject, checked with ajv (draft 2020-12). */
const CASES: Record<string, Record<string, { valid: unknown[]; invalid: unknown[] }>> = {
  Primitives: {
    votes: { valid: [3], invalid: [2.5, '3'] },
    page: { valid: [1], invalid: [0, 1.5] },
  },
  Literals: {
    sentiment: { valid: ['positive'], invalid: ['happy', null] },
    verdict: { valid: ['yes', null], invalid: ['maybe'] },
    stars: { valid: [5], invalid: [6] },
  },
  Enums: { priority: { valid: ['high'], invalid: ['High'] }, level: { valid: [10], invalid: [2] } },
  Arrays: { ids: { valid: [[1, 2]], invalid: [[1.5], 'x'] }, matrix: { valid: [[[1], []]], invalid: [[1]] } },
  Tuples: {
    pair: { valid: [['a', 1]], invalid: [['a'], [1, 'a'], ['a', 1, 2]] },
    range: { valid: [[1], [1, 2]], invalid: [[], [1, 2, 3]] },
    head: { valid: [['a'], ['a', 1, 2]], invalid: [[], ['a', 'b']] },
  },
  Optional: { answer: { valid: ['x', null], invalid: [1] } },
  Unions: {
    value: { valid: ['a', 1], invalid: [true] },
    shape: {
      valid: [{ kind: 'circle', radius: 1 }],
      invalid: [{ kind: 'circle', side: 1 }, { kind: 'square' }],
    },
  },
  Nested: {
    contact: {
      valid: [
        { person: { name: 'Ann', address: { street: 'Main 1', city: 'Oslo' } }, email: 'ann@example.com' },
      ],
      invalid: [
        { person: { name: 'Ann', address: { street: 'Main 1' } }, email: 'ann@example.com' },
        { person: { name: 'Ann', address: { street: 'Main 1', city: 'Oslo' } }, email: 'not an email' },
        { person: { name: 'Ann', address: { street: 'Main 1', city: 'Oslo' }, age: 3 }, email: 'a@b.co' },
      ],
    },
  },
  Recursive: {
    tree: {
      valid: [{ label: 'a', children: [{ label: 'b', children: [] }] }],
      invalid: [{ label: 'a', children: [{ label: 'b' }] }],
    },
    data: { valid: [{ a: [1, 'x', null, { b: true }] }], invalid: [] },
  },
  Records: {
    counts: { valid: [{ a: 1 }], invalid: [{ a: 'x' }] },
    scores: { valid: [{ total: 1, f1: 0.5 }], invalid: [{ f1: 0.5 }, { total: 1, f1: 'x' }] },
    byLevel: { valid: [{ low: 'a', high: 'b' }], invalid: [{ low: 'a' }, { low: 'a', high: 'b', mid: 'c' }] },
  },
  Intersections: {
    entity: {
      valid: [{ id: '1', createdAt: '2024-01-02T03:04:05Z', name: 'x' }],
      invalid: [
        { id: '1', createdAt: 'yesterday', name: 'x' },
        { id: '1', name: 'x' },
      ],
    },
  },
  Generics: {
    page: {
      valid: [{ items: [{ id: '1', title: 't', tags: [] }], next: null }],
      invalid: [{ items: [{}], next: null }],
    },
  },
  Utility: {
    draft: { valid: [{}, { id: '1' }], invalid: [{ id: 1 }] },
    complete: { valid: [], invalid: [{ id: '1' }] },
  },
  Dates: { dueDates: { valid: [['2024-01-02T03:04:05Z']], invalid: [['2024-13-45']] } },
  Tags: {
    age: { valid: [0, 149.5], invalid: [-1, 150] },
    code: { valid: ['AB'], invalid: ['A', 'ABCDEFGHI', 'ab'] },
    email: { valid: ['x@example.com'], invalid: ['nope'] },
    picks: { valid: [['a']], invalid: [[], ['a', 'b', 'c', 'd']] },
    confidence: { valid: [1], invalid: [0, 1.1] },
  },
};

describe('build step: every emitted schema compiles in ajv and validates', () => {
  it('compiles every field schema and tool parameter schema (draft 2020-12)', () => {
    const ajv = makeAjv();
    let compiled = 0;
    for (const sig of result.signatures) {
      for (const f of [...sig.inputs, ...sig.outputs]) {
        expect(() => ajv.compile(f.schema), `${sig.name}.${f.name}`).not.toThrow();
        compiled++;
      }
    }
    for (const t of result.tools) {
      expect(() => ajv.compile(t.parameters), t.name).not.toThrow();
      if (t.returns) expect(() => ajv.compile(t.returns as JsonSchema), `${t.name} returns`).not.toThrow();
    }
    expect(compiled).toBeGreaterThan(60);
  });

  for (const [sig, fields] of Object.entries(CASES)) {
    it(`${sig}: accepts valid values and rejects invalid ones`, () => {
      const ajv = makeAjv();
      for (const [field, { valid, invalid }] of Object.entries(fields)) {
        const validate = ajv.compile(schemaOf(sig, field));
        for (const v of valid)
          expect(validate(v), `${sig}.${field} should accept ${JSON.stringify(v)}`).toBe(true);
        for (const v of invalid) {
          expect(validate(v), `${sig}.${field} should reject ${JSON.stringify(v)}`).toBe(false);
        }
      }
    });
  }
});
