// The declaration of artifact-validator.generated.js (ajv standalone code, generated).
import type { PrecompiledValidator } from '../adapters/validate.js';

/** ajv's validation function of ARTIFACT_SCHEMA, compiled at build time. */
export declare const validateArtifactSchema: PrecompiledValidator;
