/**
 * The JSON Schema (draft-07) of the frozen artifact. The same document is published as
 * `artifact.schema.json` next to this file (a test keeps the two equal).
 */
export const ARTIFACT_SCHEMA: Readonly<Record<string, unknown>> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://dspy-ts.dev/schemas/artifact-v1.json',
  title: 'dspy-ts frozen program artifact, format version 1',
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
      const: 1,
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
