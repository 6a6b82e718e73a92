import { standaloneValidators } from '../adapters/ajv-standalone.js';
import type { JsonSchema } from '../signature/spec.js';
import { ARTIFACT_SCHEMA } from './artifact-schema.js';

/**
 * The text of `artifact-validator.generated.js`: ajv's standalone validator of
 * {@link ARTIFACT_SCHEMA}, so that loading an artifact never loads ajv. Written by
 * `node --import tsx packages/core/scripts/precompile-artifact-schema.ts`; a test checks that
 * the file matches the schema. @internal
 */
export function artifactValidatorModule(): string {
  const { code, imports } = standaloneValidators(
    { artifact: ARTIFACT_SCHEMA as JsonSchema },
    'validators',
    '07',
  );
  return [
    '// Generated from ARTIFACT_SCHEMA (artifact-schema.ts) by scripts/precompile-artifact-schema.ts:',
    '// ajv standalone validation code. Do not edit; run the script again after changing the schema.',
    imports.length > 0 ? `import { ${imports.join(', ')} } from '../validator-runtime.js';\n` : '',
    code,
    'export const validateArtifactSchema = validators.artifact;',
    '',
  ].join('\n');
}
