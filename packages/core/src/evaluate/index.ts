export { type EvaluateOptions, evaluate } from './evaluate.js';
export {
  isMetricRange,
  type Metric,
  type MetricRange,
  type MetricResult,
  metricName,
  type NormalizedMetricResult,
  normalizeMetricResult,
} from './metric.js';
export { exactMatch, exactMatchOn, f1, f1On, normalizeText, tokenF1 } from './metrics.js';
export { formatProgress, type ProgressStream } from './progress.js';
export { reportToJson, resultsToCsv, saveResults } from './results.js';
export {
  type EvaluationRunner,
  localRunner,
  type RunnerOutcome,
  type RunnerRun,
  type RunnerSession,
} from './runner.js';
export type { ScoreRules } from './score.js';
export { formatResultsTable, type TableOptions } from './table.js';
export type {
  EvaluationReport,
  EvaluationResult,
  ExampleLike,
  PredictionLike,
  ProgramLike,
} from './types.js';
