import type { Demo } from '../adapters/types.js';
import type { PredictorState } from '../modules/types.js';
import type { SignatureSpec } from '../signature/spec.js';
import { isToolCallsField, isToolsField } from '../tools/field-types.js';
import { readToolCalls } from '../tools/tool-calls.js';

type Spec = SignatureSpec<object, object>;

/**
 * A predictor state as an artifact stores it: demos without the values of `Tool[]` inputs
 * (tools are code; the current call's tools apply).
 */
export function withoutTools(spec: Spec, state: PredictorState): PredictorState {
  const tools = spec.inputs.filter(isToolsField).map((f) => f.name);
  if (tools.length === 0) return state;
  const drop = (demo: Demo): Demo =>
    Object.fromEntries(Object.entries(demo).filter(([k]) => !tools.includes(k)));
  return { ...state, demos: state.demos.map(drop) };
}

/**
 * A saved predictor state as the predictor takes it back: the `{ calls }` data of a demo's
 * `ToolCalls` output is a `ToolCalls` again (data that does not read as calls stays as it is).
 */
export function withToolCalls(spec: Spec, state: PredictorState): PredictorState {
  const calls = spec.outputs.filter(isToolCallsField).map((f) => f.name);
  if (calls.length === 0) return state;
  const revive = (demo: Demo): Demo => {
    const out: Record<string, unknown> = { ...demo };
    for (const name of calls) {
      if (out[name] === undefined) continue;
      const read = readToolCalls(out[name]);
      if (read.ok) out[name] = read.value;
    }
    return out;
  };
  return { ...state, demos: state.demos.map(revive) };
}
