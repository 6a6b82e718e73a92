export { type ApplyArtifactOptions, type ApplyArtifactReport, applyArtifact } from './apply.js';
export { validateArtifact } from './artifact.js';
export { writeFileAtomic } from './atomic.js';
export { type ImportDspyOptions, type ImportDspyReport, importDspyState } from './dspy-import.js';
export { dspyPathToTs } from './dspy-names.js';
export { type DspyPredictorState, type DspyState, parseDspyState } from './dspy-state.js';
export {
  type LoadArtifactOptions,
  loadArtifact,
  mediaFolderOf,
  parseArtifact,
  type SaveArtifactOptions,
  type SaveProgramOptions,
  saveArtifact,
  saveProgram,
} from './io.js';
export { type ArtifactMediaResolver, DEFAULT_MEDIA_INLINE_LIMIT, type StoredMedia } from './media-sites.js';
export { loadArtifactMedia } from './media-support.js';
export type { ArtifactProgram } from './program.js';
export { ARTIFACT_SCHEMA } from './schema.js';
export { findSecrets, isSecretKey, isSecretValue, stripSecrets } from './secrets.js';
export { coreVersionString, datasetFingerprint, type ToArtifactOptions, toArtifact } from './to-artifact.js';
export type { Artifact, ArtifactProvenance, DatasetFingerprint } from './types.js';
