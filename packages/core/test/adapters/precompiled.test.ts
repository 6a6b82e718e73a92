import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { JsonSchema } from '../../src/signature/spec.js';

/** Fresh copies of core's validation modules: no ajv registered (the test setup registers it in the shared ones). */
async function fresh() {
  vi.resetModules();
  const validate = await import('../../src/adapters/validate.js');
  const compiler = {
    ...(await import('../../src/adapters/ajv-compiler.js')),
    ...(await import('../../src/adapters/ajv-standalone.js')),
  };
  const runtime = await import('../../src/validator-runtime.js');
  return { validate, compiler, runtime };
}

const SCHEMAS: Record<string, JsonSchema> = {
  ticket: {
    type: 'object',
    properties: {
      subject: { type: 'string', minLength: 3 },
      email: { type: 'string', format: 'email' },
      when: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { enum: [{ a: 1 }, 'b'] }, uniqueItems: true },
    },
    required: ['subject'],
    additionalProperties: false,
  },
  urgency: { type: 'integer', minimum: 1, maximum: 5 },
};

const VALUES: readonly unknown[] = [
  { subject: 'Printer', email: 'a@b.co', when: '2026-01-02T03:04:05Z', tags: [{ a: 1 }, 'b'] },
  { subject: 'no', email: 'nope', when: 'yesterday', tags: ['b', 'b', 'c'], extra: 1 },
  { email: 'a@b.co' },
  3,
  7,
  2.5,
  'text',
];

describe('validators precompiled by ajv (standalone code)', () => {
  it('validate as ajv does at run time, without ajv being loaded, and other schemas say how to load it', async () => {
    const { validate, compiler, runtime } = await fresh();
    const { code, imports } = compiler.standaloneValidators(SCHEMAS, 'validators');
    expect(imports).toEqual(['equal', 'formats', 'ucs2length']);
    expect(code).not.toMatch(/require\(/);
    // The code as a module would run it, with the helpers of @dspy-ts/core/validator-runtime.
    const validators = new Function(...imports, `${code}\nreturn validators;`)(
      ...imports.map((name) => runtime[name as keyof typeof runtime]),
    ) as Record<string, import('../../src/adapters/validate.js').PrecompiledValidator>;
    for (const [key, schema] of Object.entries(SCHEMAS)) {
      validate.registerPrecompiled(schema, validators[key] as never);
    }
    for (const [key, schema] of Object.entries(SCHEMAS)) {
      // An equal schema (another object, keys in another order) finds the precompiled validator.
      const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
      expect(validate.canValidateNow(copy), key).toBe(true);
      const precompiled = validate.compileSchema(copy);
      const atRunTime = compiler.ajvCompiler.compile(schema);
      for (const value of VALUES)
        expect(precompiled(value), `${key} ${JSON.stringify(value)}`).toEqual(atRunTime(value));
    }
    expect(validate.compileSchema(SCHEMAS.urgency as JsonSchema)(7)).toEqual({
      ok: false,
      errors: ['(value) must be <= 5'],
    });

    const other: JsonSchema = { type: 'number', exclusiveMinimum: 0 };
    expect(validate.canValidateNow(other)).toBe(false);
    expect(() => validate.compileSchema(other)).toThrow(/ajv is not loaded yet/);
    expect(validate.ensureValidators([SCHEMAS.urgency as JsonSchema])).toBeUndefined();
    await validate.ensureValidators([other]);
    expect(validate.compileSchema(other)(-1).ok).toBe(false);
  });
});

describe('the frozen artifact validator', () => {
  it('walks ARTIFACT_SCHEMA as it is now (run scripts/precompile-artifact-schema.ts after changing it)', async () => {
    const { artifactValidatorModule } = await import('../../src/artifact/precompile.js');
    const file = await readFile(
      new URL('../../src/artifact/artifact-schema.generated.ts', import.meta.url),
      'utf8',
    );
    expect(file).toBe(artifactValidatorModule());
  });
});
