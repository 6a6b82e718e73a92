import type { Artifact, BudgetCaps } from '@dspy-ts/core';

/** The queue evaluation jobs go to unless `queue` names another. */
export const DEFAULT_QUEUE = 'dspy-ts-evaluate';

/** What one evaluation job carries: the program as an artifact plus its reference, never code. */
export interface EvaluateJobData {
  /** The run the job belongs to. */
  readonly run: string;
  /** The example's index in the devset. */
  readonly index: number;
  /** The program: its reference (`src/x.ts#X`) when given, and its class name. */
  readonly program: { readonly ref?: string; readonly name: string };
  readonly artifact: Artifact;
  /** The example's fields and which of them are inputs. */
  readonly example: { readonly data: Record<string, unknown>; readonly inputKeys: readonly string[] };
  /** The metric by name: `exactMatch`, `f1`, `exactMatch(field)`, `f1(field)` or one registered on the worker. */
  readonly metric: string;
  readonly range: readonly [number, number];
  /** Milliseconds the metric may take; null for no limit. */
  readonly metricTimeoutMs: number | null;
  /** The run's budget: its caps and where its total is kept in Redis (`RedisBudgetLedger`). */
  readonly budget?: JobBudget;
}

/** The budget a job's LM calls draw on: the caps and the Redis key of the run's total. */
export interface JobBudget {
  readonly caps: BudgetCaps;
  readonly key: string;
  readonly prefix: string;
}

/** What an evaluation job returns. */
export interface EvaluateJobResult {
  readonly prediction?: Record<string, unknown>;
  readonly score?: number;
  readonly feedback?: string;
  /** The program's or metric's error (the example failed; the job did not). */
  readonly error?: { readonly message: string; readonly code?: string };
}

/** The job id of one example of one run: the same example is queued (and counted) once. */
export function jobIdOf(run: string, index: number): string {
  return `${run}-${index}`;
}
