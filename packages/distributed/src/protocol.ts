import type { Artifact, BudgetCaps } from '@dspy-ts/core';

/** The queue evaluation jobs go to unless `queue` names another. */
export const DEFAULT_QUEUE = 'dspy-ts-evaluate';

/**
 * What one run (one `evaluate`) shares with every worker, stored once in Redis under
 * {@link runKeyOf} rather than copied into each job: the program as an artifact plus its
 * reference, never code.
 */
export interface EvaluateRunData {
  /** The program: its reference (`src/x.ts#X`) when given, and its class name. */
  readonly program: { readonly ref?: string; readonly name: string };
  readonly artifact: Artifact;
  /** SHA-256 of the artifact's JSON: workers keep one loaded program per program and artifact. */
  readonly artifactHash: string;
  /** The metric by name: `exactMatch`, `f1`, `exactMatch(field)`, `f1(field)` or one registered on the worker. */
  readonly metric: string;
  readonly range: readonly [number, number];
  /** Milliseconds the metric may take; null for no limit. */
  readonly metricTimeoutMs: number | null;
  /** The run's budget: its caps and where its total is kept in Redis (`RedisBudgetLedger`). */
  readonly budget?: RunBudget;
}

/** The budget a run's LM calls draw on, on every worker: the caps and the Redis key of its total. */
export interface RunBudget {
  readonly caps: BudgetCaps;
  readonly key: string;
  readonly prefix: string;
}

/** What one evaluation job carries: the run it belongs to and its examples (one by default). */
export interface EvaluateJobData {
  /** The run the job belongs to (its data is under `runKeyOf(queue, run)`). */
  readonly run: string;
  /** Each example's index in the devset, its fields and which of them are inputs. */
  readonly examples: readonly {
    readonly index: number;
    readonly data: Record<string, unknown>;
    readonly inputKeys: readonly string[];
  }[];
}

/** What an evaluation job returns: one result per example, in the job's order. */
export interface EvaluateJobResult {
  readonly results: readonly ExampleResult[];
}

/** The result of one example of a job. */
export interface ExampleResult {
  readonly prediction?: Record<string, unknown>;
  readonly score?: number;
  readonly feedback?: string;
  /** The program's or metric's error (the example failed; the job did not). */
  readonly error?: { readonly message: string; readonly code?: string };
}

/** The job id of the job whose first example is `index`: the same example is queued (and counted) once. */
export function jobIdOf(run: string, index: number): string {
  return `${run}-${index}`;
}

/** The Redis key of a run's shared data. */
export function runKeyOf(queue: string, run: string): string {
  return `dspy-ts:run:${queue}:${run}`;
}

/** Seconds a run's data stays in Redis when its evaluating process never removes it (it crashed). */
export const RUN_TTL_SECONDS = 24 * 3600;
