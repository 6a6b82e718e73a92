/**
 * `@dspy-ts/core` for servers (the `node`, `bun` and `deno` export conditions): the same API as
 * the web entry (`index.ts`, for `browser`, `workerd` and `worker`), with ajv loaded at start-up
 * so that every validation API works synchronously from the first call, for every schema, and
 * `JSONAdapter`'s format, jsonrepair and the media content parts loaded at start-up so that the
 * adapters' synchronous `format` and `parse` work from the first call (see `loadAdapterSupport`),
 * the disk and Redis layers of the default LM cache registered, and the check of an LM request's
 * tools loaded (`LM.effectiveParams`).
 * @packageDocumentation
 */
import { ajvCompiler } from './adapters/ajv-compiler.js';
import './adapters/adapter-support.js';
import { registerSchemaCompiler } from './adapters/validate.js';
import { registerArtifactMedia } from './artifact/media-support.js';
import * as artifactMedia from './artifact/media-values.js';
import './lm/cache/tiers.js';
import { registerToolRequests } from './lm/lm.js';
import * as toolRequests from './lm/tool-request.js';
// The specs of @Signature() methods, for a synchronous specOf() on a method.
import './signature/method-support-eager.js';

registerSchemaCompiler(ajvCompiler);
// Artifacts with media values (Image, Audio, File in demos) load synchronously too.
registerArtifactMedia(artifactMedia);
// LM.effectiveParams checks a request's tools synchronously from the first call.
registerToolRequests(toolRequests);

export * from './index.js';
