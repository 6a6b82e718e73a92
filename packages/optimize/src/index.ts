/**
 * `@dspy-ts/optimize`: optimizers that compile dspy-ts programs against a metric into
 * frozen artifacts, and the machinery they share.
 * @packageDocumentation
 */
export { type BudgetOptions, type Spend, spendDelta, ZERO_SPEND } from './core/budget.js';
export { CHECKPOINT_VERSION, Checkpoint, type CheckpointOpenOptions } from './core/checkpoint.js';
export { CompileContext, type CompileContextInit, type EvalOutcome, isBudgetStop } from './core/context.js';
export {
  type CompileOptions,
  type CompileResult,
  Optimizer,
  type RunOutcome,
} from './core/optimizer.js';
export { describeOptions, type OptimizerOptions } from './core/options.js';
export {
  asExample,
  assertSameStructure,
  asTrainMetric,
  type CompilableProgram,
  cloneProgram,
  demoCounts,
  predictorsOf,
  programState,
  runProgram,
  shortHash,
  type TrainExample,
  type TrainMetric,
} from './core/program.js';
export { type ProgressSink, progressBar, quietProgress } from './core/progress.js';
export { attachProvenance, compiledArtifact, type Provenance, provenanceOf } from './core/provenance.js';
export {
  addPhase,
  type CandidateRecord,
  type CompileReport,
  type PhaseUsage,
  rankCandidates,
  type StopReason,
  type TrialRecord,
  ZERO_PHASE,
} from './core/report.js';
export { type SavedReport, saveReport } from './core/report-save.js';
export { renderScoreChart } from './core/report-svg.js';
export { formatReport } from './core/report-text.js';
export { mixSeed, Rng, scrambleSeed } from './core/rng.js';
export {
  checkMetricValue,
  guardMetric,
  invalid,
  probeMetric,
  validateDataset,
  validateInt,
  validateMetricFn,
} from './core/validate.js';
export { OPTIMIZE_VERSION } from './core/version.js';
export {
  BootstrapFewShot,
  type BootstrapFewShotOptions,
  bootstrapSettings,
  validateBootstrapOptions,
} from './optimizers/bootstrap.js';
export {
  type AttemptRecord,
  assembleDemos,
  attemptOne,
  type BootstrapResult,
  type BootstrapSettings,
  bootstrapProgram,
  bootstrapTraces,
  emptyResult,
  makeTeacher,
  predictorPaths,
} from './optimizers/bootstrap-core.js';
export { COPRO, type COPROOptions } from './optimizers/copro.js';
export { Ensemble, type EnsembleOptions, EnsembleProgram, type ReduceFn } from './optimizers/ensemble.js';
export { GEPA_AUTO_CANDIDATES, type GepaAuto, gepaAutoBudget } from './optimizers/gepa/budget.js';
export { GEPA, type GEPAOptions } from './optimizers/gepa/gepa.js';
export { ancestorsOf, type Lineage, type MergePlan, planMerge } from './optimizers/gepa/merge.js';
export { bestMean, dominates, paretoFront, type Scored, sampleFront } from './optimizers/gepa/pareto.js';
export {
  describeProgram,
  epochBatches,
  exampleTaskDemo,
  instructionsOf,
  mapLimit,
  runTraced,
  type TracedCall,
  type TracedOutcome,
  withInstructions,
} from './optimizers/instruct/program.js';
export {
  PROPOSAL_TIPS,
  type ProposalConfig,
  type ProposalInputs,
  proposeInstructions,
  proposerLM,
  summarizeData,
  type TaskDemo,
  taskDemosJson,
} from './optimizers/instruct/propose.js';
export {
  inputText,
  KNNFewShot,
  type KNNFewShotOptions,
  KNNProgram,
  type KnnEntry,
  KnnIndex,
} from './optimizers/knn.js';
export {
  applyLabeledDemos,
  exampleToDemo,
  LabeledFewShot,
  type LabeledFewShotOptions,
  labeledDemos,
} from './optimizers/labeled.js';
export { MIPROv2, type MIPROv2Options } from './optimizers/mipro/mipro.js';
export { MIPRO_AUTO, type MiproAuto, miproEvalRuns, miproTrials } from './optimizers/mipro/presets.js';
export {
  CategoricalTPE,
  type Observation,
  type Params as TpeParams,
  type TpeOptions,
} from './optimizers/mipro/tpe.js';
export {
  BootstrapFewShotWithRandomSearch,
  BootstrapRS,
  type BootstrapRSOptions,
  buildDemoCandidate,
  type DemoSetCandidate,
} from './optimizers/random-search.js';
export { SIMBA, type SIMBAOptions } from './optimizers/simba/simba.js';
export {
  appendDemo,
  appendRule,
  type Bucket,
  bucketOf,
  goodAndBad,
  orderBuckets,
  quantile,
  softmaxSample,
} from './optimizers/simba/strategies.js';
export { cosine, TfidfVectorizer, tokenize, type Vectorizer } from './optimizers/tfidf.js';
