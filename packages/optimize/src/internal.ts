/**
 * `@dspy-ts/optimize/internal`: the machinery the optimizers share (search, proposal, budgets,
 * checkpoints, reports), for the other dspy-ts packages and the tests. Not a public API: names
 * here may change in any release. Applications import `@dspy-ts/optimize`.
 * @packageDocumentation
 */
export { spendDelta, ZERO_SPEND } from './core/budget.js';
export {
  CHECKPOINT_VERSION,
  Checkpoint,
  type CheckpointOpenOptions,
  checkpointMediaFolder,
} from './core/checkpoint.js';
export { CompileContext, type CompileContextInit, isBudgetStop } from './core/context.js';
export { describeOptions } from './core/options.js';
export {
  asExample,
  assertSameStructure,
  asTrainMetric,
  cloneProgram,
  demoCounts,
  predictorsOf,
  programState,
  runProgram,
  shortHash,
} from './core/program.js';
export { progressBar, quietProgress } from './core/progress.js';
export { attachProvenance, compiledArtifact, provenanceOf } from './core/provenance.js';
export { addPhase, rankCandidates, ZERO_PHASE } from './core/report.js';
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
export { bootstrapSettings, validateBootstrapOptions } from './optimizers/bootstrap.js';
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
export { GEPA_AUTO_CANDIDATES, gepaAutoBudget } from './optimizers/gepa/budget.js';
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
export { inputText, type KnnEntry, KnnIndex } from './optimizers/knn.js';
export { applyLabeledDemos, exampleToDemo, labeledDemos } from './optimizers/labeled.js';
export { MIPRO_AUTO, miproEvalRuns, miproTrials } from './optimizers/mipro/presets.js';
export {
  CategoricalTPE,
  type Observation,
  type Params as TpeParams,
  type TpeOptions,
} from './optimizers/mipro/tpe.js';
export { buildDemoCandidate, type DemoSetCandidate } from './optimizers/random-search.js';
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
export { cosine, tokenize } from './optimizers/tfidf.js';
