/**
 * `@dspy-ts/optimize`: optimizers that compile dspy-ts programs against a metric into frozen
 * artifacts, the base class to write one, and their option, result and report types. The parts
 * the optimizers are built from are in `@dspy-ts/optimize/internal`.
 * @packageDocumentation
 */
export type { BudgetOptions, Spend } from './core/budget.js';
export type { CompileContext, EvalOutcome } from './core/context.js';
export { type CompileOptions, type CompileResult, Optimizer, type RunOutcome } from './core/optimizer.js';
export type { OptimizerOptions } from './core/options.js';
export {
  type CompileEstimate,
  type CompilePlan,
  type EstimatedStep,
  type EstimateOptions,
  formatEstimate,
  type PlannedStep,
} from './core/plan.js';
export type { CompilableProgram, TrainExample, TrainMetric } from './core/program.js';
export type { ProgressSink } from './core/progress.js';
export type { Provenance } from './core/provenance.js';
export type {
  CandidateRecord,
  CompileReport,
  PhaseUsage,
  StopReason,
  TrialRecord,
} from './core/report.js';
export { type SavedReport, saveReport } from './core/report-save.js';
export type { Rng } from './core/rng.js';
export { BootstrapFewShot, type BootstrapFewShotOptions } from './optimizers/bootstrap.js';
export { COPRO, type COPROOptions } from './optimizers/copro.js';
export { Ensemble, type EnsembleOptions, EnsembleProgram, type ReduceFn } from './optimizers/ensemble.js';
export type { GepaAuto } from './optimizers/gepa/budget.js';
export { GEPA, type GEPAOptions } from './optimizers/gepa/gepa.js';
export { KNNFewShot, type KNNFewShotOptions, KNNProgram } from './optimizers/knn.js';
export { LabeledFewShot, type LabeledFewShotOptions } from './optimizers/labeled.js';
export { MIPROv2, type MIPROv2Options } from './optimizers/mipro/mipro.js';
export type { MiproAuto } from './optimizers/mipro/presets.js';
export {
  BootstrapFewShotWithRandomSearch,
  BootstrapRS,
  type BootstrapRSOptions,
} from './optimizers/random-search.js';
export { SIMBA, type SIMBAOptions } from './optimizers/simba/simba.js';
export { TfidfVectorizer, type Vectorizer, type VectorLike } from './optimizers/tfidf.js';
