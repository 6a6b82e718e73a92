import { DspyError } from '../errors.js';
import { ARTIFACT_SCHEMA } from './artifact-schema.js';
import { CHECKED_KEYWORDS, type CheckedSchema } from './schema-check.js';

/** Keywords that only describe: left out of the schema the validator walks. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'contentEncoding']);
const REF = /^#\/definitions\/([A-Za-z0-9_]+)$/;

function refuse(what: string): never {
  throw new DspyError('INTERNAL', `ARTIFACT_SCHEMA ${what}, which the artifact validator does not check.`, {
    details: {
      where: 'checkedArtifactSchema()',
      fix: 'Keep ARTIFACT_SCHEMA to the keywords of schema-check.ts, or teach it the new one (with a test against ajv).',
    },
  });
}

/**
 * ARTIFACT_SCHEMA as the artifact validator walks it: only the keywords it checks, and only the
 * definitions a `$ref` reaches. Throws for a keyword, `$ref` or format it does not check. @internal
 */
export function checkedArtifactSchema(): CheckedSchema {
  const definitions = (ARTIFACT_SCHEMA.definitions ?? {}) as Record<string, Record<string, unknown>>;
  const used = new Map<string, CheckedSchema>();
  const strip = (schema: Record<string, unknown>): CheckedSchema => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (ANNOTATIONS.has(key) || (schema === ARTIFACT_SCHEMA && key === 'definitions')) continue;
      if (!CHECKED_KEYWORDS.includes(key)) refuse(`uses the keyword '${key}'`);
      if (key === 'properties') {
        const props = value as Record<string, Record<string, unknown>>;
        out[key] = Object.fromEntries(Object.entries(props).map(([k, sub]) => [k, strip(sub)]));
      } else if (key === 'additionalProperties' && value === false) out[key] = false;
      else if (key === 'additionalProperties' || key === 'propertyNames' || key === 'items') {
        out[key] = strip(value as Record<string, unknown>);
      } else if (key === '$ref') {
        const name = REF.exec(String(value))?.[1];
        const target = name === undefined ? undefined : definitions[name];
        if (name === undefined || !target) refuse(`has the $ref '${String(value)}'`);
        if (!used.has(name)) {
          used.set(name, {});
          used.set(name, strip(target));
        }
        out[key] = value;
      } else if (key === 'format' && value !== 'date-time') refuse(`uses the format '${String(value)}'`);
      else out[key] = value;
    }
    return out;
  };
  const root = strip(ARTIFACT_SCHEMA);
  return { ...root, definitions: Object.fromEntries([...used].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/**
 * The text of `artifact-schema.generated.ts`: {@link checkedArtifactSchema}, so that apps carry
 * only what the artifact validator walks. Written by `node --import tsx
 * packages/core/scripts/precompile-artifact-schema.ts`; a test checks that the file matches the
 * schema. @internal
 */
export function artifactValidatorModule(): string {
  return [
    '// Generated from ARTIFACT_SCHEMA (artifact-schema.ts) by scripts/precompile-artifact-schema.ts:',
    '// the schema the artifact validator walks. Do not edit; run the script again after changing it.',
    "import type { CheckedSchema } from './schema-check.js';",
    '',
    `export const CHECKED_ARTIFACT_SCHEMA: CheckedSchema = ${JSON.stringify(checkedArtifactSchema(), null, 2)};`,
    '',
  ].join('\n');
}
