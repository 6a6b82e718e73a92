import { standaloneValidators } from '../adapters/ajv-standalone.js';
import { DspyError } from '../errors.js';
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
  const helpers = imports.filter((name) => name !== 'formats');
  const otherFormat = /formats\["(?!date-time")([^"]*)"\]/.exec(code);
  if (otherFormat) {
    throw new DspyError(
      'INTERNAL',
      `ARTIFACT_SCHEMA uses the format "${otherFormat[1]}", which date-time-format.ts does not check.`,
      {
        details: {
          where: 'artifactValidatorModule()',
          fix: 'Add the check to src/artifact/date-time-format.ts.',
        },
      },
    );
  }
  return [
    '// Generated from ARTIFACT_SCHEMA (artifact-schema.ts) by scripts/precompile-artifact-schema.ts:',
    '// ajv standalone validation code. Do not edit; run the script again after changing the schema.',
    // The schema's only format is date-time: its own small check, not ajv-formats' full set.
    imports.includes('formats') ? "import { formats } from './date-time-format.js';" : '',
    helpers.length > 0 ? `import { ${helpers.join(', ')} } from '../validator-runtime.js';\n` : '',
    code,
    'export const validateArtifactSchema = validators.artifact;',
    '',
  ].join('\n');
}
