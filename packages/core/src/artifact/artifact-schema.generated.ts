// Generated from ARTIFACT_SCHEMA (artifact-schema.ts) by scripts/precompile-artifact-schema.ts:
// the schema the artifact validator walks. Do not edit; run the script again after changing it.
import type { CheckedSchema } from './schema-check.js';

export const CHECKED_ARTIFACT_SCHEMA: CheckedSchema = {
  "type": "object",
  "required": [
    "format",
    "formatVersion",
    "program",
    "predictors"
  ],
  "additionalProperties": false,
  "properties": {
    "$schema": {
      "type": "string"
    },
    "format": {
      "const": "dspy-ts.artifact"
    },
    "formatVersion": {
      "enum": [
        1,
        2
      ]
    },
    "program": {
      "type": "string",
      "minLength": 1
    },
    "predictors": {
      "type": "object",
      "propertyNames": {
        "pattern": "^[^.]+(\\.[^.]+)*$"
      },
      "additionalProperties": {
        "$ref": "#/definitions/predictorState"
      }
    },
    "lm": {
      "$ref": "#/definitions/lmSettings"
    },
    "provenance": {
      "$ref": "#/definitions/provenance"
    }
  },
  "definitions": {
    "dataset": {
      "type": "object",
      "required": [
        "size"
      ],
      "properties": {
        "size": {
          "type": "integer",
          "minimum": 0
        },
        "hash": {
          "type": "string"
        }
      }
    },
    "lmSettings": {
      "type": "object",
      "properties": {
        "model": {
          "type": "string"
        }
      }
    },
    "predictorState": {
      "type": "object",
      "required": [
        "signature",
        "instructions",
        "demos"
      ],
      "additionalProperties": false,
      "properties": {
        "signature": {
          "type": "object",
          "required": [
            "name",
            "hash"
          ],
          "additionalProperties": false,
          "properties": {
            "name": {
              "type": "string"
            },
            "hash": {
              "type": "string",
              "pattern": "^[0-9a-f]{8,64}$"
            }
          }
        },
        "instructions": {
          "type": "string"
        },
        "demos": {
          "type": "array",
          "items": {
            "type": "object"
          }
        },
        "fields": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "description": {
                "type": "string"
              },
              "prefix": {
                "type": "string"
              }
            }
          }
        },
        "lm": {
          "$ref": "#/definitions/lmSettings"
        }
      }
    },
    "provenance": {
      "type": "object",
      "properties": {
        "optimizer": {
          "type": "object",
          "required": [
            "name"
          ],
          "properties": {
            "name": {
              "type": "string"
            },
            "options": {
              "type": "object"
            }
          }
        },
        "metric": {
          "type": "string"
        },
        "trainset": {
          "$ref": "#/definitions/dataset"
        },
        "valset": {
          "$ref": "#/definitions/dataset"
        },
        "scores": {
          "type": "object",
          "additionalProperties": {
            "type": [
              "number",
              "null"
            ]
          }
        },
        "seed": {
          "type": [
            "integer",
            "null"
          ]
        },
        "versions": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        }
      }
    }
  }
};
