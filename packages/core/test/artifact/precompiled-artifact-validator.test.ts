import { describe, expect, it } from 'vitest';
import { isDateTime } from '../../src/artifact/date-time-format.js';
import { validateArtifactSchema } from '../../src/artifact/schema.js';

describe('the artifact validator', () => {
  it('accepts RFC 3339 date-times with an offset', () => {
    for (const text of [
      '2025-01-31T12:00:00Z',
      '2025-01-31t12:00:00.123z',
      '2024-02-29T00:00:00+01:00',
      '2025-06-30 23:59:59-0700',
      '2016-12-31T23:59:60Z',
      '2017-01-01T00:59:60+01:00',
      new Date(0).toISOString(),
    ]) {
      expect(isDateTime(text), text).toBe(true);
    }
  });

  it('rejects impossible dates, times and offsets, and a missing offset', () => {
    for (const text of [
      '2025-01-31T12:00:00',
      '2025-02-29T12:00:00Z',
      '1900-02-29T12:00:00Z',
      '2025-04-31T12:00:00Z',
      '2025-13-01T12:00:00Z',
      '2025-00-10T12:00:00Z',
      '2025-01-00T12:00:00Z',
      '2025-01-31T24:00:00Z',
      '2025-01-31T12:60:00Z',
      '2025-01-31T12:00:60Z',
      '2025-01-31T12:00:00+24:00',
      '2025-01-31',
      'yesterday',
    ]) {
      expect(isDateTime(text), text).toBe(false);
    }
  });

  it('is what the artifact validator applies to createdAt', () => {
    const artifact = (createdAt: string) => ({
      format: 'dspy-ts.program',
      formatVersion: 1,
      provenance: { createdAt },
      program: {},
      predictors: {},
    });
    const errorsOf = (createdAt: string) => {
      validateArtifactSchema(artifact(createdAt));
      const { errors } = validateArtifactSchema as unknown as {
        errors?: { instancePath: string }[] | null;
      };
      return (errors ?? []).map((e) => e.instancePath);
    };
    expect(errorsOf('2025-02-29T12:00:00Z')).toContain('/provenance/createdAt');
    expect(errorsOf('2024-02-29T12:00:00Z')).not.toContain('/provenance/createdAt');
  });

  it('walks only the keywords it checks and the definitions a $ref reaches', async () => {
    const { CHECKED_ARTIFACT_SCHEMA } = await import('../../src/artifact/artifact-schema.generated.js');
    const text = JSON.stringify(CHECKED_ARTIFACT_SCHEMA);
    expect(text).not.toContain('"title"');
    expect(text).not.toContain('contentEncoding');
    expect(text).not.toContain('mediaValue');
    validateArtifactSchema({ format: 'dspy-ts.program', formatVersion: 9, program: {}, predictors: {} });
    const { errors } = validateArtifactSchema as unknown as {
      errors?: { instancePath: string; params: Record<string, unknown> }[] | null;
    };
    const version = (errors ?? []).find((e) => e.instancePath === '/formatVersion');
    expect(version?.params).toEqual({ allowedValues: [1, 2] });
  });
});

describe('the artifact validator against ajv', () => {
  it('finds the same problems (paths, keywords, params, order) and messages as ajv compiling ARTIFACT_SCHEMA now', async () => {
    const { Ajv } = await import('ajv');
    const ajvFormats = (await import('ajv-formats')).default;
    const { ARTIFACT_SCHEMA, schemaProblems } = await import('../../src/artifact/schema.js');
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false });
    ajvFormats.default(ajv, ['date-time']);
    const reference = ajv.compile(ARTIFACT_SCHEMA);
    const describe = (e: {
      instancePath: string;
      keyword: string;
      params: Record<string, unknown>;
      message?: string;
    }) => {
      const at = e.instancePath || '/';
      if (e.keyword === 'additionalProperties')
        return `${at}: unknown property '${String(e.params.additionalProperty)}'`;
      if (e.keyword === 'enum')
        return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(e.params.allowedValue)}`;
      return `${at}: ${e.message}`;
    };
    const state = { signature: { name: 'QA', hash: 'abcdef12' }, instructions: 'Answer.', demos: [] };
    const good = {
      format: 'dspy-ts.artifact',
      formatVersion: 1,
      program: 'QA',
      predictors: { answer: state },
    };
    const cases: unknown[] = [
      null,
      [],
      'text',
      {},
      { ...good, format: 'other', formatVersion: 3, program: '', extra: 1 },
      { ...good, program: 7, predictors: [] },
      {
        ...good,
        predictors: {
          'a..b': state,
          '.x': 1,
          ok: { ...state, signature: { name: 1, hash: 'XYZ', more: 0 } },
        },
      },
      {
        ...good,
        predictors: {
          answer: { demos: 'no', fields: { q: { description: 1, prefix: 2, other: 3 }, r: 4 }, lm: 5 },
        },
      },
      {
        ...good,
        predictors: { answer: { ...state, demos: [1, null, {}, []], signature: 'QA', instructions: 3 } },
      },
      { ...good, lm: { model: 3 }, provenance: 'p' },
      { ...good, lm: [] },
      {
        ...good,
        provenance: {
          optimizer: { options: 1 },
          metric: 2,
          trainset: { size: -1, hash: 3 },
          valset: { size: 1.5 },
          scores: { a: 'x', b: null, c: 1 },
          seed: 1.5,
          versions: { core: 1 },
          createdAt: '2025-02-29T12:00:00Z',
        },
      },
      {
        ...good,
        provenance: {
          optimizer: { name: 3 },
          trainset: [],
          valset: {},
          scores: [],
          versions: 'v',
          createdAt: 5,
          seed: 'x',
        },
      },
    ];
    // Raw errors as ajv reports them, without the message and schema path.
    const raw = (errors: readonly object[] | null | undefined) =>
      (errors ?? []).map((e) => {
        const { message: _m, schemaPath: _s, ...rest } = e as { message?: string; schemaPath?: string };
        return rest;
      });
    const same = (value: unknown) => {
      const ok = reference(value);
      expect(validateArtifactSchema(value), JSON.stringify(value)).toBe(ok);
      expect(raw(validateArtifactSchema.errors), JSON.stringify(value)).toEqual(raw(reference.errors));
      const expected = (reference.errors ?? []).map((e) =>
        describe(e as unknown as Parameters<typeof describe>[0]),
      );
      expect(schemaProblems(value), JSON.stringify(value)).toEqual(expected);
      return ok;
    };
    for (const value of cases) expect(same(value), JSON.stringify(value)).toBe(false);
    const full = {
      ...good,
      formatVersion: 2,
      $schema: 'https://dspy-ts.dev/schemas/artifact-v2.json',
      predictors: {
        answer: {
          ...state,
          demos: [{ q: 'a', a: 'b' }],
          fields: { q: { description: 'the question', prefix: 'Q:' } },
          lm: { model: 'm', temperature: 0 },
        },
        'tools.pick': state,
      },
      lm: { model: 'm' },
      provenance: {
        optimizer: { name: 'BootstrapFewShot', options: { k: 2 } },
        metric: 'exactMatch',
        trainset: { size: 10, hash: 'abc' },
        valset: { size: 0 },
        scores: { best: 63, none: null },
        seed: 7,
        versions: { '@dspy-ts/core': '1.0.0' },
        createdAt: '2025-01-31T12:00:00Z',
        extra: { any: 'thing' },
      },
    };
    expect(same(good)).toBe(true);
    expect(same(full)).toBe(true);
    // Seeded mutations of the full artifact: every place gets values of every JSON type (and a
    // few non-JSON ones), keys are removed and added; both validators must agree on each.
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      'x',
      'a.b',
      'a..b',
      'ABCDEF12',
      'abcdef1234',
      '2025-01-31T12:00:00+01:00',
      '2025-13-01T00:00:00Z',
      [],
      [1, {}],
      {},
      { name: 'n', hash: '0123abcd' },
      { size: 3 },
      { model: 1 },
      undefined,
    ];
    let seed = 20261208;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const places = (value: unknown, path: string[] = []): string[][] => {
      if (value === null || typeof value !== 'object') return [path];
      return [
        path,
        ...Object.keys(value).flatMap((k) => places((value as Record<string, unknown>)[k], [...path, k])),
      ];
    };
    const spots = places(full).filter((p) => p.length > 0);
    let checked = 0;
    for (let round = 0; round < 600; round++) {
      const copy = JSON.parse(JSON.stringify(full)) as Record<string, unknown>;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const spot = spots[random(spots.length)] as string[];
        let parent: Record<string, unknown> = copy;
        for (const key of spot.slice(0, -1)) {
          const next = parent[key];
          if (next === null || typeof next !== 'object') break;
          parent = next as Record<string, unknown>;
        }
        const key = spot.at(-1) as string;
        const action = random(4);
        if (action === 0) delete parent[key];
        else if (action === 1) parent[`extra${random(3)}`] = values[random(values.length)];
        else parent[key] = values[random(values.length)];
      }
      same(copy);
      checked++;
    }
    expect(checked).toBe(600);
  });
});
