/**
 * `@dspy-ts/cli`: the `dspy-ts` command line (build, compile, eval, inspect, run, worker) and the
 * pieces it is made of, for scripts and tests.
 * @packageDocumentation
 */

export { createCli, runCli } from './cli.js';
export { type CliConfig, CONFIG_FILES, checkConfig, loadConfig } from './config.js';
export { type Io, processIo } from './context.js';
export { type CsvTable, parseCsv, parseCsvTable } from './csv.js';
export {
  type DatasetRows,
  loadDataset,
  parseInputsFlag,
  type Row,
  readDataset,
  readRows,
  toExamples,
} from './dataset.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeOf, formatError, usageError } from './errors.js';
export { type LMChoice, type LMSource, offlineNotice, type ResolvedLM, resolveLM } from './lm.js';
export { BUILTIN_METRICS, defaultAnswerField, resolveMetric } from './metric.js';
export { createOptimizer, OPTIMIZERS, parseBudget, parseOptionsJson } from './optimizers.js';
export {
  inputKeysFor,
  instantiate,
  type LoadedProgram,
  loadProgram,
  type ProgramRef,
  parseProgramRef,
  signaturesOf,
} from './program.js';
export { CLI_VERSION } from './version.js';
