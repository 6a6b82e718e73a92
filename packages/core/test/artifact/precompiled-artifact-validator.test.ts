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
