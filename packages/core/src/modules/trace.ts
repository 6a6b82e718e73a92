import { runContext, withRunContext } from './context.js';
import type { TraceEntry } from './types.js';

/** What {@link runWithTrace} returns. */
export interface TracedRun<T> {
  readonly result: T;
  /** Every predictor call made while `fn` ran, in completion order. */
  readonly trace: TraceEntry[];
}

/**
 * Runs `fn` and records every predictor call it makes (concurrent runs do not mix).
 * Optimizers turn the entries of a successful run into demos.
 *
 * @example
 * ```ts
 * const { result, trace } = await runWithTrace(() => program.forward({ question }));
 * trace[0]?.predictor === program.generate.predict; // true
 * ```
 */
export async function runWithTrace<T>(fn: () => T | Promise<T>): Promise<TracedRun<T>> {
  const trace: TraceEntry[] = [];
  const result = await withRunContext({ trace }, fn);
  return { result, trace };
}

/** The trace being recorded here, or undefined outside {@link runWithTrace}. */
export function currentTrace(): TraceEntry[] | undefined {
  return runContext.getStore()?.trace;
}

/** Appends entries to the trace being recorded here, if any. */
export function appendTrace(entries: readonly TraceEntry[]): void {
  const trace = runContext.getStore()?.trace;
  if (trace) for (const e of entries) trace.push(e);
}
