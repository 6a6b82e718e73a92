/**
 * The optimizers the optimize benchmark can run, by name. Add an entry to benchmark another
 * optimizer; `run.ts --optimizers a,b` picks entries by name.
 */
import type { Metric } from '../../../packages/core/src/index.js';
import {
  BootstrapFewShot,
  BootstrapRS,
  type CompilableProgram,
  type CompileOptions,
  type CompileReport,
  KNNFewShot,
  LabeledFewShot,
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
};
