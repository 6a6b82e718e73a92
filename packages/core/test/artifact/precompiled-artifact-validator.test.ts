import { describe, expect, it } from 'vitest';
import { validateArtifactSchema } from '../../src/artifact/artifact-validator.generated.js';
import { isDateTime } from '../../src/artifact/date-time-format.js';

describe('the precompiled artifact validator', () => {
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

  it('is what the precompiled artifact validator applies to createdAt', () => {
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

  it('keeps the values error params read from the schema, without the schema constants', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(
      new URL('../../src/artifact/artifact-validator.generated.js', import.meta.url),
      'utf8',
    );
    expect(text).not.toMatch(/\bconst schema\d+ =/);
    validateArtifactSchema({ format: 'dspy-ts.program', formatVersion: 9, program: {}, predictors: {} });
    const { errors } = validateArtifactSchema as unknown as {
      errors?: { instancePath: string; params: Record<string, unknown> }[] | null;
    };
    const version = (errors ?? []).find((e) => e.instancePath === '/formatVersion');
    expect(version?.params).toEqual({ allowedValues: [1, 2] });
  });
});

describe('the compacted artifact validator', () => {
  it('finds the same problems, with the same messages, as ajv compiling ARTIFACT_SCHEMA now', async () => {
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
    for (const value of cases) {
      reference(value);
      const expected = (reference.errors ?? []).map((e) =>
        describe(e as unknown as Parameters<typeof describe>[0]),
      );
      expect(expected.length > 0, JSON.stringify(value)).toBe(true);
      expect(schemaProblems(value), JSON.stringify(value)).toEqual(expected);
    }
    expect(schemaProblems(good)).toEqual([]);
  });
});
