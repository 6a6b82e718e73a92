import { createAsyncContext } from '../runtime/async-context.js';
import type { ToolStreamEvent } from './stream-events.js';
import type { Predictor, TraceEntry } from './types.js';

/** Receives the field deltas of a streamed predictor call. */
export interface DeltaSink {
  /** True when `predictor` should stream (it matches a listener). */
  wants(predictor: Predictor): boolean;
  /** One piece of text of `field` from `predictor`. */
  push(predictor: Predictor, field: string, delta: string): void;
  /** A call of `predictor`'s tool-calls output `field` started or ended (agents report these). */
  tool?(predictor: Predictor, field: string, event: ToolStreamEvent): void;
}

/**
 * What a module call can see of the run it belongs to: the trace being recorded, feedback
 * hints for predictors (`Refine`), and the stream sink of `streamify`.
 * @internal
 */
export interface RunContext {
  readonly trace: TraceEntry[] | undefined;
  readonly hints: ReadonlyMap<Predictor, string> | undefined;
  readonly sink: DeltaSink | undefined;
  /** Aborts the LM calls of the run (set by `evaluate` so a stopped run cancels its calls). */
  readonly signal?: AbortSignal | undefined;
}

/** @internal */
export const runContext = createAsyncContext<RunContext>();

/** Runs `fn` with some parts of the run context replaced. @internal */
export function withRunContext<T>(patch: Partial<RunContext>, fn: () => T): T {
  const cur = runContext.getStore();
  return runContext.run(
    {
      trace: 'trace' in patch ? patch.trace : cur?.trace,
      hints: 'hints' in patch ? patch.hints : cur?.hints,
      sink: 'sink' in patch ? patch.sink : cur?.sink,
      signal: 'signal' in patch ? patch.signal : cur?.signal,
    },
    fn,
  );
}
