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
