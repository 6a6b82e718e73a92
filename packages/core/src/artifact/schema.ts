import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { interpretedValidator, isCodegenRefused } from '../runtime/interpreted-schema.js';
import type { Artifact } from './types.js';

/**
 * The JSON Schema (draft-07) of the frozen artifact. The same document is published as
 * `artifact.schema.json` next to this file (a test keeps the two equal).
 */
export const ARTIFACT_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://dspy-ts.dev/schemas/artifact-v2.json',
  title: 'dspy-ts frozen program artifact, format versions 1 and 2 (2 adds media values in demos)',
  type: 'object',
  required: ['format', 'formatVersion', 'program', 'predictors'],
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string',
    },
    format: {
      const: 'dspy-ts.artifact',
    },
    formatVersion: {
      enum: [1, 2],
    },
    program: {
      type: 'string',
      minLength: 1,
    },
    predictors: {
      type: 'object',
      propertyNames: {
        pattern: '^[^.]+(\\.[^.]+)*$',
      },
      additionalProperties: {
        $ref: '#/definitions/predictorState',
      },
    },
    lm: {
      $ref: '#/definitions/lmSettings',
    },
    provenance: {
      $ref: '#/definitions/provenance',
    },
  },
  definitions: {
    predictorState: {
      type: 'object',
      required: ['signature', 'instructions', 'demos'],
      additionalProperties: false,
      properties: {
        signature: {
          type: 'object',
          required: ['name', 'hash'],
          additionalProperties: false,
          properties: {
            name: {
              type: 'string',
            },
            hash: {
              type: 'string',
              pattern: '^[0-9a-f]{8,64}$',
            },
          },
        },
        instructions: {
          type: 'string',
        },
        demos: {
          type: 'array',
          items: {
            type: 'object',
          },
        },
        fields: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              description: {
                type: 'string',
              },
              prefix: {
                type: 'string',
              },
            },
          },
        },
        lm: {
          $ref: '#/definitions/lmSettings',
        },
      },
    },
    mediaValue: {
      description:
        "An Image, Audio or File value inside a demo (format version 2 only): any demo value that is an object with a '$media' key. Inline bytes ('data'), a file '<sha256>.<ext>' in the artifact's media folder ('file'), or a URL ('url'); bytes are verified by SHA-256 on load.",
      type: 'object',
      required: ['$media'],
      additionalProperties: false,
      properties: {
        $media: {
          enum: ['image', 'audio', 'file'],
        },
        mimeType: {
          enum: [
            'image/png',
            'image/jpeg',
            'image/gif',
            'image/webp',
            'audio/wav',
            'audio/mpeg',
            'application/pdf',
            'text/plain',
          ],
        },
        sha256: {
          type: 'string',
          pattern: '^[0-9a-f]{64}$',
        },
        byteLength: {
          type: 'integer',
          minimum: 0,
        },
        filename: {
          type: 'string',
        },
        data: {
          type: 'string',
          contentEncoding: 'base64',
        },
        file: {
          type: 'string',
          pattern: '^[0-9a-f]{64}\\.[a-z0-9]{1,8}$',
        },
        url: {
          type: 'string',
          pattern: '^[hH][tT][tT][pP][sS]?://',
        },
      },
      oneOf: [
        {
          required: ['data', 'mimeType', 'sha256', 'byteLength'],
        },
        {
          required: ['file', 'mimeType', 'sha256', 'byteLength'],
        },
        {
          required: ['url'],
        },
      ],
    },
    lmSettings: {
      type: 'object',
      properties: {
        model: {
          type: 'string',
        },
      },
    },
    dataset: {
      type: 'object',
      required: ['size'],
      properties: {
        size: {
          type: 'integer',
          minimum: 0,
        },
        hash: {
          type: 'string',
        },
      },
    },
    provenance: {
      type: 'object',
      properties: {
        optimizer: {
          type: 'object',
          required: ['name'],
          properties: {
            name: {
              type: 'string',
            },
            options: {
              type: 'object',
            },
          },
        },
        metric: {
          type: 'string',
        },
        trainset: {
          $ref: '#/definitions/dataset',
        },
        valset: {
          $ref: '#/definitions/dataset',
        },
        scores: {
          type: 'object',
          additionalProperties: {
            type: ['number', 'null'],
          },
        },
        seed: {
          type: ['integer', 'null'],
        },
        versions: {
          type: 'object',
          additionalProperties: {
            type: 'string',
          },
        },
        createdAt: {
          type: 'string',
          format: 'date-time',
        },
      },
    },
  },
};

let validator: ((value: unknown) => string[]) | undefined;

/**
 * The artifact validator, made on the first validation: ajv's, or where the runtime forbids
 * code generation from strings (Cloudflare Workers, a strict CSP), an interpreting one.
 */
function compiled(): (value: unknown) => string[] {
  if (validator) return validator;
  let fn: ValidateFunction<Artifact>;
  try {
    // No logger: where code generation is refused, ajv would print the generated code before throwing.
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false });
    ajvFormats.default(ajv, ['date-time']);
    fn = ajv.compile<Artifact>(ARTIFACT_SCHEMA);
  } catch (err) {
    if (!isCodegenRefused(err)) throw err;
    const check = interpretedValidator(ARTIFACT_SCHEMA, '7');
    validator = (value) => check(value).map((p) => `${p.path || '/'}: ${p.message}`);
    return validator;
  }
  validator = (value) => (fn(value) ? [] : (fn.errors ?? []).map(describeError));
  return validator;
}

/** Checks `value` against {@link ARTIFACT_SCHEMA}; returns readable problems (empty when valid). */
export function schemaProblems(value: unknown): string[] {
  return compiled()(value);
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${at}: unknown property '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`;
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${at}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const') {
    return `${at}: must be ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}
