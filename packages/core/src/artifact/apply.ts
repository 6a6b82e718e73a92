import { DspyError } from '../errors.js';
import type { Predictor, PredictorState } from '../modules/types.js';
import { logger } from '../settings.js';
import { validateArtifact } from './artifact.js';
import { mediaSites } from './media-sites.js';
import { artifactMediaCode } from './media-support.js';
import { predictorsOf } from './program.js';
import { withToolCalls } from './tool-demos.js';
import type { Artifact } from './types.js';

/** Options of {@link applyArtifact}. */
export interface ApplyArtifactOptions {
  /** Load states whose signature hash differs from the program's (logged as warnings). */
  readonly allowSignatureDrift?: boolean;
}

/** What {@link applyArtifact} did. */
export interface ApplyArtifactReport {
  /** Predictor paths whose state was loaded. */
  readonly applied: readonly string[];
  /** Signature drifts tolerated with `allowSignatureDrift`. */
  readonly warnings: readonly string[];
  /** The artifact's program-level LM settings (not applied: build an `LM` from them if needed). */
  readonly lm?: Readonly<Record<string, unknown>>;
}

function hashMatches(predictor: Predictor, saved: PredictorState): boolean {
  const hash = saved.signature.hash;
  return predictor.dumpState().signature.hash === hash || predictor.signature.hash === hash;
}

function describeDrift(path: string, predictor: Predictor, saved: PredictorState): string {
  const now = predictor.dumpState().signature;
  return `predictor '${path}': the artifact was compiled for signature ${saved.signature.name}#${saved.signature.hash}, the program has ${now.name}#${now.hash}`;
}

/**
 * Loads an artifact's predictor states into `program` after checking that every predictor
 * path exists on both sides and every signature hash matches. All mismatches are reported in
 * one `ARTIFACT_MISMATCH` error and nothing is changed. Media values in demos become `Image`,
 * `Audio` and `File` again (bytes verified by SHA-256; a media file not loaded with
 * `loadArtifact` is an `ARTIFACT_INVALID` error). Never evaluates code.
 *
 * @example
 * ```ts
 * applyArtifact(new QA(), await loadArtifact('qa.artifact.json'));
 * ```
 */
export function applyArtifact(
  program: object,
  artifact: Artifact,
  options: ApplyArtifactOptions = {},
): ApplyArtifactReport {
  validateArtifact(artifact);
  const predictors = predictorsOf(program, 'applyArtifact');
  const structural: string[] = [];
  const drift: string[] = [];
  for (const [path, saved] of Object.entries(artifact.predictors)) {
    const target = predictors.get(path);
    if (!target) structural.push(`predictor '${path}' is in the artifact but not in the program`);
    else if (!hashMatches(target, saved)) drift.push(describeDrift(path, target, saved));
  }
  for (const path of predictors.keys()) {
    if (!Object.hasOwn(artifact.predictors, path)) {
      structural.push(`predictor '${path}' is in the program but not in the artifact`);
    }
  }
  const allowDrift = options.allowSignatureDrift === true;
  const problems = [...structural, ...(allowDrift ? [] : drift)];
  if (problems.length > 0) throw mismatchError(artifact, problems, structural.length > 0, predictors);
  // Media are rebuilt (and verified) before any state changes, so a bad one changes nothing.
  const where = `the artifact of '${artifact.program}'`;
  const states =
    mediaSites(artifact).length === 0
      ? artifact.predictors
      : artifactMediaCode(where).reviveArtifactMedia(artifact, where);
  for (const w of drift) logger().warn(`${w} (loaded anyway: allowSignatureDrift)`);
  loadAll(predictors, states);
  return {
    applied: Object.keys(artifact.predictors),
    warnings: allowDrift ? drift : [],
    ...(artifact.lm ? { lm: artifact.lm } : {}),
  };
}

/** Loads every state; on a failure, restores the states taken before and rethrows. */
function loadAll(predictors: Map<string, Predictor>, states: Readonly<Record<string, PredictorState>>): void {
  const before = new Map([...predictors].map(([path, p]) => [path, p.dumpState()]));
  try {
    for (const [path, saved] of Object.entries(states)) {
      const predictor = predictors.get(path);
      predictor?.loadState(withToolCalls(predictor.signature, saved));
    }
  } catch (err) {
    for (const [path, state] of before) predictors.get(path)?.loadState(state);
    throw DspyError.from(err, 'ARTIFACT_MISMATCH', 'applyArtifact: a predictor rejected its saved state');
  }
}

function mismatchError(
  artifact: Artifact,
  problems: string[],
  structural: boolean,
  predictors: Map<string, Predictor>,
): DspyError {
  const fix = structural
    ? `The program's predictors (${[...predictors.keys()].join(', ') || 'none'}) differ from the artifact's: recompile the program and save it again, or load the artifact into the program class it was compiled from.`
    : 'The signatures changed since the artifact was compiled: recompile and save again, or pass { allowSignatureDrift: true } to load the saved demos and instructions anyway.';
  return new DspyError(
    'ARTIFACT_MISMATCH',
    `The artifact of '${artifact.program}' does not match this program (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`,
    { details: { where: artifact.program, problems, fix } },
  );
}
