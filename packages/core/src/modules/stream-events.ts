import type { Prediction } from '../data/prediction.js';
import type { ToolCallItem, ToolResult } from '../tools/tool-calls.js';
import type { Predictor } from './types.js';

/** A piece of text of one output field, as the LM writes it. */
export type FieldDelta<O> = {
  [K in keyof O & string]: { readonly type: 'delta'; readonly field: K; readonly delta: string };
}[keyof O & string];

/** What `predict.stream()` yields: field deltas, then the final validated prediction. */
export type StreamEvent<O extends Record<string, unknown>> =
  | FieldDelta<O>
  | { readonly type: 'prediction'; readonly prediction: Prediction<O> };

/**
 * What an agent reports while it runs a tool call: `tool_call` when the call starts (with the
 * id it is answered under), `tool_result` when it has ended (also when it failed).
 */
export type ToolStreamEvent =
  | { readonly type: 'tool_call'; readonly call: Readonly<ToolCallItem & { id: string }> }
  | { readonly type: 'tool_result'; readonly result: ToolResult };

/**
 * What a `streamify`-ed program yields: deltas of the selected predictors, the tool calls and
 * results of the selected agents' predictors (`ReAct`'s `react`), then the program's output.
 */
export type ProgramStreamEvent<Out> =
  | {
      readonly type: 'delta';
      /** Path of the predictor in the program (`generate.predict`, or `self`). */
      readonly predictor: string;
      readonly field: string;
      readonly delta: string;
    }
  | (ToolStreamEvent & {
      /** Path of the predictor whose calls these are (`react`, `agent.react`). */
      readonly predictor: string;
    })
  | { readonly type: 'prediction'; readonly prediction: Out };

/** Selects which predictor calls of a program stream, and optionally which field. */
export interface StreamListener {
  /**
   * A predictor path (`generate.predict`; a module's path selects every predictor inside it),
   * or a predictor or module instance (matched also in clones and compiled copies).
   */
  readonly predictor: string | Predictor | object;
  /**
   * Only this output field; all fields when absent. An agent's tool calls and results stream
   * with its tool-calls field (`ReAct`'s `react` predictor: `toolCalls`).
   */
  readonly field?: string;
}

/** Options of `streamify`. */
export interface StreamifyOptions {
  /** Which predictor calls stream. Without listeners, every predictor streams. */
  readonly listeners?: readonly StreamListener[];
}
