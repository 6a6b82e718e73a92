import type { Demo } from '../adapters/types.js';
import { DspyError } from '../errors.js';
import { mediaKindOf } from '../media/field-types.js';
import type { Predictor, PredictorState } from '../modules/types.js';
import type { FieldSpec } from '../signature/spec.js';
import { dspyMediaValue } from './dspy-media.js';
import {
  dspyDefaultPrefix,
  dspyFieldHint,
  dspyPathToTs,
  isDefaultDspyInstructions,
  isPlaceholderDescription,
  looseName,
} from './dspy-names.js';
import { type DspyPredictorState, type DspyState, parseDspyState } from './dspy-state.js';
import { predictorsOf } from './program.js';

/** Options of {@link importDspyState}. */
export interface ImportDspyOptions {
  /** Explicit DSPy name → dspy-ts path pairs, tried before the automatic rules. */
  readonly map?: Readonly<Record<string, string>>;
  /** Throw when a DSPy predictor or a program predictor has no counterpart (default true). */
  readonly strict?: boolean;
}

/** What {@link importDspyState} found and did. */
export interface ImportDspyReport {
  /** The parsed DSPy state. */
  readonly state: DspyState;
  /** DSPy predictor name → dspy-ts predictor path, for every state loaded. */
  readonly applied: Readonly<Record<string, string>>;
  /** Everything that did not map cleanly (unknown demo keys, unmatched fields, ...). */
  readonly warnings: readonly string[];
}

type Pair = [dspyName: string, path: string];

function matchNames(
  state: DspyState,
  paths: readonly string[],
  map: Readonly<Record<string, string>>,
): Pair[] {
  const free = new Set(paths);
  const pairs: Pair[] = [];
  const take = (name: string, path: string | undefined): boolean => {
    if (path === undefined || !free.has(path)) return false;
    free.delete(path);
    pairs.push([name, path]);
    return true;
  };
  const dropPredict = (p: string) => p.replace(/\.predict$/, '');
  const rules: ((name: string) => string | undefined)[] = [
    (n) => map[n],
    (n) => (free.has(n) ? n : undefined),
    (n) => [...free].find((p) => p === dspyPathToTs(n)),
    (n) => [...free].find((p) => looseName(p) === looseName(dspyPathToTs(n))),
    (n) => [...free].find((p) => looseName(dropPredict(p)) === looseName(dropPredict(dspyPathToTs(n)))),
  ];
  let left = state.predictors.map((p) => p.name);
  for (const rule of rules) left = left.filter((n) => !take(n, rule(n)));
  if (left.length === 1 && free.size === 1 && state.predictors.length === 1)
    take(left[0] as string, [...free][0]);
  return pairs;
}

function fieldOverrides(
  dspy: DspyPredictorState,
  fields: readonly FieldSpec[],
  warn: (m: string) => void,
): Record<string, { description?: string; prefix?: string }> {
  const out: Record<string, { description?: string; prefix?: string }> = {};
  const byHint = dspy.fields.map((f) => {
    const hint = dspyFieldHint(f);
    return hint === undefined ? undefined : fields.find((ours) => looseName(ours.name) === looseName(hint));
  });
  const positional = byHint.some((f) => f === undefined) && dspy.fields.length === fields.length;
  dspy.fields.forEach((f, i) => {
    const target = positional ? fields[i] : byHint[i];
    if (!target) {
      warn(`field #${i + 1} (prefix '${f.prefix ?? ''}') matches no field of the signature`);
      return;
    }
    const patch: { description?: string; prefix?: string } = {};
    if (f.description && !isPlaceholderDescription(f.description) && f.description !== target.description) {
      patch.description = f.description;
    }
    const defaults = [dspyDefaultPrefix(target.name), target.prefix];
    if (f.prefix && !defaults.includes(f.prefix)) patch.prefix = f.prefix;
    if (Object.keys(patch).length > 0) out[target.name] = patch;
  });
  if (dspy.lastFieldPrefix && fields.length > 0) {
    const last = fields[fields.length - 1] as FieldSpec;
    if (dspy.lastFieldPrefix !== dspyDefaultPrefix(last.name)) {
      out[last.name] = { ...out[last.name], prefix: dspy.lastFieldPrefix };
    }
  }
  return out;
}

function parseIfJson(value: unknown, field: FieldSpec): unknown {
  const type = field.schema.type;
  if (typeof value !== 'string' || (type !== 'object' && type !== 'array')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Demo keys older DSPy versions wrote for a field that now has another name. */
const RENAMED_DEMO_KEYS: ReadonlyMap<string, string> = new Map([['rationale', 'reasoning']]);

function demoField(key: string, fields: readonly FieldSpec[]): FieldSpec | undefined {
  const exact =
    fields.find((f) => f.name === key) ?? fields.find((f) => looseName(f.name) === looseName(key));
  if (exact) return exact;
  const renamed = RENAMED_DEMO_KEYS.get(key);
  return renamed === undefined ? undefined : fields.find((f) => f.name === renamed);
}

/** A demo value of a media field as an `Image`/`Audio`/`File`, or the value as it is (with a warning). */
function demoMedia(value: unknown, field: FieldSpec, warn: (m: string) => void): unknown {
  const kind = mediaKindOf(field.schema);
  if (kind === undefined) return parseIfJson(value, field);
  const media = dspyMediaValue(kind, value);
  if (media) return media;
  warn(`a demo's '${field.name}' does not read as DSPy's ${kind} (a data: URL or http URL); kept as it is`);
  return value;
}

function mapDemos(dspy: DspyPredictorState, fields: readonly FieldSpec[], warn: (m: string) => void): Demo[] {
  const unknown = new Set<string>();
  const demos = dspy.demos.map((demo) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(demo)) {
      const field = demoField(key, fields);
      if (field) out[field.name] = demoMedia(value, field, warn);
      else {
        if (key !== 'augmented') unknown.add(key);
        out[key] = value;
      }
    }
    return out;
  });
  if (unknown.size > 0) warn(`demo keys kept as they are (no such field): ${[...unknown].join(', ')}`);
  return demos;
}

function toState(dspy: DspyPredictorState, predictor: Predictor, warn: (m: string) => void): PredictorState {
  const current = predictor.dumpState();
  const spec = predictor.signature;
  const fields = [...spec.inputs, ...spec.outputs];
  let instructions = current.instructions;
  if (dspy.instructions !== undefined && !isDefaultDspyInstructions(dspy.instructions)) {
    instructions = dspy.instructions;
  }
  const overrides = fieldOverrides(dspy, fields, warn);
  return {
    signature: current.signature,
    instructions,
    demos: mapDemos(dspy, fields, warn),
    ...(Object.keys(overrides).length > 0 ? { fields: overrides } : {}),
    ...(current.lm ? { lm: current.lm } : {}),
  };
}

/**
 * Loads a program state saved by Python DSPy (`module.save('x.json')`) into a dspy-ts program:
 * per predictor its demos, instructions and field prefixes/descriptions. DSPy names map to
 * property paths by the rules in `docs/artifacts.md` (exact, snake_case → camelCase, `[i]` →
 * `.i`, a trailing `.predict` optional, or `options.map`). Without a program, only parses.
 *
 * @example
 * ```ts
 * const report = importDspyState(readFileSync('rag.json', 'utf8'), new RAG());
 * ```
 */
export function importDspyState(
  json: string | object,
  program?: object,
  options: ImportDspyOptions = {},
): ImportDspyReport {
  const state = parseDspyState(json);
  if (!program) return { state, applied: {}, warnings: [] };
  const predictors = predictorsOf(program, 'importDspyState');
  const pairs = matchNames(state, [...predictors.keys()], options.map ?? {});
  const unmatchedDspy = state.predictors.map((p) => p.name).filter((n) => !pairs.some(([d]) => d === n));
  const unmatchedOurs = [...predictors.keys()].filter((p) => !pairs.some(([, o]) => o === p));
  const warnings: string[] = [];
  const problems = [
    ...unmatchedDspy.map((n) => `DSPy predictor '${n}' matches no predictor of the program`),
    ...unmatchedOurs.map((p) => `program predictor '${p}' has no state in the DSPy file`),
  ];
  if (problems.length > 0 && options.strict !== false) {
    throw new DspyError(
      'ARTIFACT_MISMATCH',
      `importDspyState: names do not match:\n  ${problems.join('\n  ')}`,
      {
        details: {
          where: 'importDspyState',
          problems,
          fix: `Pass { map: { '<dspy name>': '<path>' } } (program paths: ${[...predictors.keys()].join(', ')}), or { strict: false } to import what matches.`,
        },
      },
    );
  }
  warnings.push(...problems);
  const states = pairs.map(([name, path]) => {
    const dspy = state.predictors.find((p) => p.name === name) as DspyPredictorState;
    const predictor = predictors.get(path) as Predictor;
    return [predictor, toState(dspy, predictor, (m) => warnings.push(`${name} → ${path}: ${m}`))] as const;
  });
  for (const [predictor, s] of states) predictor.loadState(s);
  return { state, applied: Object.fromEntries(pairs), warnings };
}
