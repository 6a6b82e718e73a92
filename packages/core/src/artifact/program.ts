import { DspyError } from '../errors.js';
import { isPredictor, type Predictor } from '../modules/types.js';

/** What the artifact functions need of a program: its predictors by property path. */
export interface ArtifactProgram {
  namedPredictors?(): Iterable<readonly [string, Predictor]>;
}

/** The predictors of `program` by path; a bare predictor is `self`. */
export function predictorsOf(program: object, where: string): Map<string, Predictor> {
  const source = program as ArtifactProgram;
  if (typeof source.namedPredictors === 'function') {
    const out = new Map<string, Predictor>();
    for (const [path, p] of source.namedPredictors()) out.set(path, p);
    return out;
  }
  if (isPredictor(program)) return new Map([['self', program]]);
  throw new DspyError('MODULE_INVALID', `${where}: the program has no namedPredictors() method.`, {
    details: { where, fix: 'Pass a Module (a class extending Module) or a Predict instance.' },
  });
}

/** A name for a program: its class name, or `program`. */
export function programName(program: object): string {
  const name = (program as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'program';
}
