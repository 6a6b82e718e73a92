import { DspyError } from '../errors.js';
import { assertSafeKeys, parseJsonSafely } from './safe-json.js';

/** One predictor's state as Python DSPy's `module.save('x.json')` writes it. */
export interface DspyPredictorState {
  /** The DSPy parameter name (`generate_answer.predict`). */
  readonly name: string;
  readonly instructions: string | undefined;
  /** Field entries in DSPy order: inputs, then outputs (with `reasoning` first for ChainOfThought). */
  readonly fields: readonly { readonly prefix?: string; readonly description?: string }[];
  /** Only the last field's prefix, in states saved by DSPy 2.5 and older. */
  readonly lastFieldPrefix?: string;
  readonly demos: readonly Record<string, unknown>[];
  readonly lm: Readonly<Record<string, unknown>> | null;
}

/** A parsed DSPy state file. */
export interface DspyState {
  readonly predictors: readonly DspyPredictorState[];
  /** `metadata.dependency_versions` (python, dspy, cloudpickle), when present. */
  readonly versions: Readonly<Record<string, string>>;
}

function invalid(message: string, where: string): DspyError {
  return new DspyError('ARTIFACT_INVALID', `DSPy state: ${message}`, {
    details: {
      where,
      fix: "Pass the JSON written by DSPy's module.save('x.json') (not a .pkl file or a whole-program save).",
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function readPredictor(name: string, raw: unknown): DspyPredictorState {
  if (!isRecord(raw)) throw invalid(`'${name}' is not an object.`, name);
  const demos = raw.demos ?? [];
  if (!Array.isArray(demos) || !demos.every(isRecord))
    throw invalid(`'${name}.demos' is not a list of objects.`, name);
  const sig = raw.signature;
  let instructions: string | undefined;
  let fields: { prefix?: string; description?: string }[] = [];
  if (isRecord(sig)) {
    if (typeof sig.instructions === 'string') instructions = sig.instructions;
    if (sig.fields !== undefined && !Array.isArray(sig.fields))
      throw invalid(`'${name}.signature.fields' is not a list.`, name);
    fields = ((sig.fields as unknown[] | undefined) ?? []).map((f) => {
      const entry = isRecord(f) ? f : {};
      return {
        ...(typeof entry.prefix === 'string' ? { prefix: entry.prefix } : {}),
        ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
      };
    });
  } else if (typeof raw.signature_instructions === 'string') {
    instructions = raw.signature_instructions;
  } else {
    throw invalid(`'${name}' has no signature.`, name);
  }
  return {
    name,
    instructions,
    fields,
    ...(typeof raw.signature_prefix === 'string' ? { lastFieldPrefix: raw.signature_prefix } : {}),
    demos: demos as Record<string, unknown>[],
    lm: isRecord(raw.lm) ? raw.lm : null,
  };
}

/** The name DSPy gives a bare predictor's own state (its `named_parameters()` path). */
export const BARE_PREDICTOR_NAME = 'self';

/**
 * True when the top level is one predictor's state (`dspy.Predict(...).save('x.json')`):
 * its `signature` and `demos` sit there instead of under a predictor name.
 */
function isBarePredictor(value: Record<string, unknown>): boolean {
  const hasSignature = isRecord(value.signature) || typeof value.signature_instructions === 'string';
  return hasSignature && (value.demos === undefined || Array.isArray(value.demos));
}

/**
 * Reads a state saved by Python DSPy (`module.save('x.json')`): JSON text or a parsed object,
 * one entry per predictor name plus `metadata`, or, for a bare `dspy.Predict`, that
 * predictor's state at the top level (named `self`, as DSPy names it). Rejects `__proto__` keys
 * and data nested too deep.
 */
export function parseDspyState(json: string | object): DspyState {
  const value = typeof json === 'string' ? parseJsonSafely(json, 'DSPy state') : json;
  if (typeof json !== 'string') assertSafeKeys(value, 'DSPy state');
  if (!isRecord(value)) throw invalid('the top level is not an object.', 'DSPy state');
  const predictors: DspyPredictorState[] = [];
  if (isBarePredictor(value)) predictors.push(readPredictor(BARE_PREDICTOR_NAME, value));
  else {
    for (const [key, raw] of Object.entries(value)) {
      if (key === 'metadata') continue;
      predictors.push(readPredictor(key, raw));
    }
  }
  if (predictors.length === 0) throw invalid('it holds no predictor states.', 'DSPy state');
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const deps = isRecord(meta.dependency_versions) ? meta.dependency_versions : {};
  const versions: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps)) if (typeof v === 'string') versions[k] = v;
  return { predictors, versions };
}
