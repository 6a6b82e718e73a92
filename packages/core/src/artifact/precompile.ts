import { standaloneValidators } from '../adapters/ajv-standalone.js';
import { DspyError } from '../errors.js';
import type { JsonSchema } from '../signature/spec.js';
import { ARTIFACT_SCHEMA } from './artifact-schema.js';

/**
 * ajv's standalone code declares each (sub)schema as a constant (`const schema11 = {...};`),
 * whole, though it reads only a few values from them (an `enum`'s values, a `type`, for error
 * params). This replaces each such read by the value itself and drops the constants nothing
 * uses any more: about 4 kB less in every app that loads artifacts.
 */
function inlineSchemaConstants(code: string): string {
  let out = code;
  for (const [line, name, json] of code.matchAll(/^const (schema\d+) = (\{.*\});\n/gm)) {
    if (!name || !json) continue;
    const schema: unknown = JSON.parse(json);
    const reads = new RegExp(`\\b${name}((?:\\.[A-Za-z_$][\\w$]*)+)`, 'g');
    let rest = out.replace(line, '');
    rest = rest.replace(reads, (read, path: string) => {
      let value: unknown = schema;
      for (const key of path.slice(1).split('.')) {
        value =
          typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
      if (value === undefined) {
        throw new DspyError(
          'INTERNAL',
          `ajv's standalone code reads ${read}, which the schema does not have.`,
          {
            details: { where: 'artifactValidatorModule()', fix: 'Check the ajv version the build uses.' },
          },
        );
      }
      return JSON.stringify(value);
    });
    // A constant still used whole (not only read from) stays.
    if (!new RegExp(`\\b${name}\\b`).test(rest)) out = rest;
  }
  return out;
}

/** A JavaScript string literal, as ajv writes them. */
const LITERAL = String.raw`"(?:[^"\\]|\\.)*"`;

/**
 * Makes ajv's standalone code smaller for the same checks (about 6 kB less in every app that
 * loads artifacts):
 * - no `message` and `schemaPath` in the errors: `schemaProblems` words the message from the
 *   keyword and its params, as ajv does, and reads no schema path;
 * - each error is added by one call of a small function `E` instead of a constant and an
 *   `if (vErrors === null) ... else vErrors.push(...)` block.
 * Throws when ajv's code is not in the shape these rewrites expect (another ajv version).
 */
function compactErrors(code: string): string {
  let out = code
    .replace(new RegExp(`,message:${LITERAL}(?:\\+${LITERAL})*`, 'g'), '')
    .replace(new RegExp(`schemaPath:${LITERAL},`, 'g'), '')
    .replace(
      /^const (err\d+) = (\{.*\});\nif\(vErrors === null\)\{\nvErrors = \[\1\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}\n/gm,
      '(vErrors ??= []).push($2);\n',
    )
    .replace(
      /^\(vErrors \?\?= \[\]\)\.push\(\{instancePath(?::(.*?))?,keyword:("\w+"),params:(\{.*\})\}\);$/gm,
      (_all, path: string | undefined, keyword: string, params: string) =>
        `vErrors = E(vErrors, ${path ?? 'instancePath'}, ${keyword}, ${params});`,
    );
  const left = /message:|schemaPath:|const err\d+ =/.exec(out);
  if (left) {
    throw new DspyError(
      'INTERNAL',
      `ajv's standalone code still has '${left[0]}' after compacting its errors.`,
      {
        details: { where: 'artifactValidatorModule()', fix: 'Check the ajv version the build uses.' },
      },
    );
  }
  out = `/** Adds an error to \`list\` (null when there is none yet). */\nfunction E(list, instancePath, keyword, params) {\n(list ??= []).push({instancePath, keyword, params});\nreturn list;\n}\n${out}`;
  return out;
}

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
    compactErrors(inlineSchemaConstants(code)),
    'export const validateArtifactSchema = validators.artifact;',
    '',
  ].join('\n');
}
