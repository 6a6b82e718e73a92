/**
 * The optimizers the optimize benchmark can run, by name. Add an entry to benchmark another
 * optimizer; `run.ts --optimizers a,b` picks entries by name.
 */
import type { Metric } from '../../../packages/core/src/index.js';
import {
  BootstrapFewShot,
  BootstrapRS,
  COPRO,
  type CompilableProgram,
  type CompileOptions,
  type CompileReport,
  GEPA,
  KNNFewShot,
  LabeledFewShot,
  MIPROv2,
  SIMBA,
} from '../../../packages/optimize/src/index.js';

/** What the benchmark needs of an optimizer. */
export interface BenchOptimizer {
  compile(
    program: CompilableProgram,
    opts: CompileOptions,
  ): Promise<{ program: CompilableProgram; report: CompileReport }>;
}

/** One benchmark entry. */
export interface BenchEntry {
  /** Settings in one line, for the results table. */
  readonly settings: string;
  /** Builds the optimizer for a metric, seed and concurrency. */
  make(metric: Metric, seed: number, numThreads: number): BenchOptimizer;
  /** Which data it compiles on: the trainset only (DSPy's default valset) or train + a valset. */
  readonly valset?: 'none' | 'dev-split';
}

/** Every benchmarkable optimizer by name. */
export const BENCH_OPTIMIZERS: Record<string, BenchEntry> = {
  LabeledFewShot: {
    settings: 'k 16',
    make: (_metric, seed) => new LabeledFewShot({ k: 16, seed, progress: false }),
  },
  BootstrapFewShot: {
    settings: 'maxBootstrappedDemos 4, maxLabeledDemos 16',
    make: (metric, seed, numThreads) => new BootstrapFewShot({ metric, seed, numThreads, progress: false }),
  },
  BootstrapRS: {
    settings: 'numCandidatePrograms 16, valset = trainset',
    make: (metric, seed, numThreads) => new BootstrapRS({ metric, seed, numThreads, progress: false }),
  },
  KNNFewShot: {
    settings: 'k 8, bootstrap true',
    make: (metric, seed, numThreads) =>
      new KNNFewShot({ k: 8, bootstrap: true, metric, seed, numThreads, progress: false }),
  },
  COPRO: {
    settings: 'breadth 10, depth 3, initTemperature 1.4',
    make: (metric, seed, numThreads) => new COPRO({ metric, seed, numThreads, progress: false }),
  },
  MIPROv2: {
    settings: "auto 'light' (6 candidates), valset = last 80% of train (capped at 100)",
    make: (metric, seed, numThreads) =>
      new MIPROv2({ metric, auto: 'light', seed, numThreads, progress: false }),
  },
  SIMBA: {
    settings: 'bsize 32, numCandidates 6, maxSteps 8, maxDemos 4 (zero-shot student)',
    make: (metric, seed, numThreads) => new SIMBA({ metric, seed, numThreads, progress: false }),
  },
  GEPA: {
    settings: "auto 'light', valset = trainset, reflectionMinibatchSize 3",
    make: (metric, seed, numThreads) =>
      new GEPA({ metric, auto: 'light', seed, numThreads, progress: false }),
  },
};
