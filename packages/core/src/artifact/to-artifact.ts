import { DspyError } from '../errors.js';
import type { Predictor, PredictorState } from '../modules/types.js';
import { optionalNodeBuiltin } from '../runtime/node-builtins.js';
import { sha256Hex } from '../runtime/sha256.js';
import { currentSettings, logger } from '../settings.js';
import { canonicalJson } from '../signature/spec.js';
import { validateArtifact } from './artifact.js';
import { demosHoldMedia } from './media-sites.js';
import { artifactMediaCode } from './media-support.js';
import { predictorsOf, programName } from './program.js';
import { assertSafeKeys } from './safe-json.js';
import { stripSecrets } from './secrets.js';
import { withoutTools } from './tool-demos.js';
import type { Artifact, ArtifactProvenance, DatasetFingerprint } from './types.js';

// Making an artifact from a program: what saving needs, apart from what loading needs.

/** Options of {@link toArtifact} and `saveProgram`. */
export interface ToArtifactOptions {
  /** The program's name in the artifact (default: its class name). */
  readonly name?: string;
  /** Where the program came from; `createdAt` and `versions` are filled in when absent. */
  readonly provenance?: ArtifactProvenance;
}

let coreVersion: string | undefined;

/** The version of the JavaScript runtime that saved an artifact (`node`, `bun` or `deno`), where it has one. */
function runtimeVersion(): Record<string, string> {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process
    ?.versions;
  const out: Record<string, string> = {};
  for (const name of ['node', 'bun', 'deno']) {
    const v = versions?.[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/** The version of `@dspy-ts/core` (from its package.json), or `unknown`. */
export function coreVersionString(): string {
  if (coreVersion === undefined) {
    try {
      const fs = optionalNodeBuiltin('node:fs');
      if (!fs) return 'unknown';
      const text = fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
      coreVersion = String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
    } catch {
      coreVersion = 'unknown';
    }
  }
  return coreVersion;
}

/**
 * Size and content hash of a dataset for provenance: the SHA-256 of the canonical JSON of its
 * examples (first 16 hex chars). Equal data always gives the same hash.
 */
export function datasetFingerprint(examples: readonly unknown[]): DatasetFingerprint {
  const plain = examples.map((e) =>
    e && typeof (e as { toJSON?: unknown }).toJSON === 'function' ? (e as { toJSON(): unknown }).toJSON() : e,
  );
  const hash = sha256Hex(canonicalJson(plain)).slice(0, 16);
  return { size: examples.length, hash };
}

function scrub<T>(value: T, where: string): T {
  const { value: clean, removed } = stripSecrets(value);
  if (removed.length > 0) {
    logger().warn(`${where}: removed secret-looking LM settings from the artifact: ${removed.join(', ')}`);
  }
  return clean;
}

function jsonCopy<T>(value: T, where: string): T {
  try {
    return JSON.parse(JSON.stringify(value)) as T;
  } catch (err) {
    // Too deep for JSON.stringify: say so, and where (assertSafeKeys walks without recursion).
    if (err instanceof RangeError) assertSafeKeys(value, where);
    throw new DspyError('ARTIFACT_INVALID', `${where} is not JSON-serialisable.`, {
      cause: err,
      details: {
        where,
        fix: 'Keep demos, provenance and LM settings to plain JSON values (no cycles, BigInt, ...).',
      },
    });
  }
}

function stateOf(path: string, predictor: Predictor): { state: PredictorState; media: number } {
  const where = `predictor '${path}'`;
  const plain = withoutTools(predictor.signature, predictor.dumpState());
  // Demos without media need none of the media code (loaded on the web entry only for media).
  const { state, media } = demosHoldMedia(plain.demos)
    ? artifactMediaCode(`toArtifact: ${where}`).storeDemoMedia(plain, where)
    : { state: plain, media: 0 };
  const copy = jsonCopy(state, where);
  return { state: copy.lm ? { ...copy, lm: scrub(copy.lm, `${where} lm`) } : copy, media };
}

/**
 * The frozen artifact of `program`: every predictor's state by path, LM settings without
 * secrets, and provenance. Validated against the artifact schema. Media in demos (`Image`,
 * `Audio`, `File`) are stored inline (base64, MIME type, SHA-256) or by URL, and make the
 * artifact format version 2; without media it is version 1. `saveArtifact` moves large media
 * out to files beside the artifact. On the web entry, demos with media need
 * `await loadArtifactMedia()` first (`saveProgram` and `Module.save` load it).
 *
 * @example
 * ```ts
 * const artifact = toArtifact(compiled, { provenance: { optimizer: { name: 'BootstrapFewShot' } } });
 * ```
 */
export function toArtifact(program: object, options: ToArtifactOptions = {}): Artifact {
  const predictors: Record<string, PredictorState> = {};
  let media = 0;
  for (const [path, predictor] of predictorsOf(program, 'toArtifact')) {
    const saved = stateOf(path, predictor);
    predictors[path] = saved.state;
    media += saved.media;
  }
  const lmSettings = currentSettings().lm?.settings?.();
  const provenance = jsonCopy(options.provenance ?? {}, 'provenance');
  const artifact: Artifact = {
    format: 'dspy-ts.artifact',
    formatVersion: media > 0 ? 2 : 1,
    program: options.name ?? programName(program),
    predictors,
    ...(lmSettings ? { lm: scrub(jsonCopy(lmSettings, 'lm settings'), 'lm settings') } : {}),
    provenance: {
      ...provenance,
      createdAt: provenance.createdAt ?? new Date().toISOString(),
      versions: { '@dspy-ts/core': coreVersionString(), ...runtimeVersion(), ...provenance.versions },
    },
  };
  validateArtifact(artifact, 'toArtifact');
  return artifact;
}
