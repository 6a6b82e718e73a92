import { DspyError, majority, type Prediction } from '@dspy-ts/core';
import { ModuleBase } from '@dspy-ts/core/internal';
import { checkOptionKeys, type OptionKeys } from '../core/option-keys.js';
import { type CompilableProgram, runProgram } from '../core/program.js';
import { attachProvenance } from '../core/provenance.js';
import type { CompileReport } from '../core/report.js';
import { ZERO_PHASE } from '../core/report.js';
import { Rng } from '../core/rng.js';
import { validateInt } from '../core/validate.js';
import { OPTIMIZE_VERSION } from '../core/version.js';

/** Combines the predictions of the ensembled programs into one. */
export type ReduceFn = (predictions: readonly Prediction[]) => object;

/** Options of {@link Ensemble}. */
export interface EnsembleOptions {
  /** Combines the predictions (default: `majority` over the last output field). */
  readonly reduceFn?: ReduceFn;
  /** Use a seeded sample of this many programs (default: all). */
  readonly size?: number;
  /** Seed of the sample (default 0). */
  readonly seed?: number;
}

const ENSEMBLE_OPTION_KEYS = {
  reduceFn: true,
  size: true,
  seed: true,
} as const satisfies OptionKeys<EnsembleOptions>;

/** Runs several programs on the same inputs and reduces their predictions. */
export class EnsembleProgram<P extends CompilableProgram = CompilableProgram> extends ModuleBase<
  Record<string, unknown>,
  Prediction
> {
  constructor(
    readonly programs: P[],
    readonly reduceFn: ReduceFn,
  ) {
    super();
  }

  override async forward(inputs: Record<string, unknown>): Promise<Prediction> {
    const predictions = await Promise.all(this.programs.map((p) => runProgram(p, inputs)));
    return this.reduceFn(predictions) as Prediction;
  }
}

/**
 * Ensembles programs (e.g. BootstrapRS's top candidates) into one module whose prediction is
 * `reduceFn` over theirs, as DSPy's Ensemble. With `size`, a seeded sample of that many
 * programs is chosen once at compile time (so runs are reproducible). No LM calls.
 *
 * @example
 * ```ts
 * const { program } = new Ensemble({ size: 3 }).compile([a, b, c, d]);
 * const pred = await program.forward({ question });
 * ```
 */
export class Ensemble {
  readonly name = 'Ensemble';

  constructor(readonly options: EnsembleOptions = {}) {}

  /** Builds the ensemble from copies of `programs` (they are not changed). */
  compile<P extends CompilableProgram>(
    programs: readonly P[],
  ): { program: EnsembleProgram<P>; report: CompileReport } {
    checkOptionKeys(this.name, this.options, ENSEMBLE_OPTION_KEYS);
    if (!Array.isArray(programs) || programs.length === 0) {
      throw new DspyError('OPTIMIZER_INVALID', 'Ensemble: no programs to ensemble.', {
        details: { where: 'Ensemble.compile(programs)', fix: 'Pass a non-empty array of programs.' },
      });
    }
    validateInt(
      this.name,
      'size',
      this.options.size,
      1,
      programs.length,
      `${programs.length} programs were given`,
    );
    const seed = this.options.seed ?? 0;
    const size = this.options.size ?? programs.length;
    const chosen = size < programs.length ? new Rng(seed).sample(programs, size) : [...programs];
    const reduceFn: ReduceFn = this.options.reduceFn ?? ((preds) => majority(preds) as object);
    const program = new EnsembleProgram(
      chosen.map((p) => p.clone()),
      reduceFn,
    );
    const options = { size, seed, reduceFn: reduceFn.name || 'majority' };
    attachProvenance(program, {
      optimizer: { name: this.name, options },
      seed,
      versions: { '@dspy-ts/optimize': OPTIMIZE_VERSION },
      stoppedBy: 'completed',
    });
    const report: CompileReport = {
      optimizer: this.name,
      options,
      seed,
      stoppedBy: 'completed',
      trainSize: 0,
      valSize: 0,
      bestScore: undefined,
      bestCandidateId: undefined,
      baselineScore: undefined,
      candidates: chosen.map((_, i) => ({
        id: i,
        label: `program ${programs.indexOf(chosen[i] as P)}`,
        score: undefined,
        demos: {},
      })),
      trials: [],
      phases: {},
      total: ZERO_PHASE,
      dspyImpliedCalls: { calls: 0, how: 'no LM calls at compile time' },
      resumedSteps: 0,
      notes: [],
    };
    return { program, report };
  }
}
