import { DspyError } from '../errors.js';
import type { FieldRole, FieldSpec, SignatureSpec } from '../signature/spec.js';
import { type FieldCheck, fieldCheck } from './field-check.js';

type Spec = SignatureSpec<object, object>;

/** Options of {@link validateExamples}. */
export interface ValidateExamplesOptions {
  /** What the data is called in messages (`trainset`, `devset`, a file name); default `examples`. */
  readonly name?: string;
  /** Where each example came from (`data/train.jsonl:12`), by index; shown beside the index. */
  readonly locations?: readonly (string | undefined)[];
  /** How to fix the data, when the caller knows better than the default advice. */
  readonly fix?: string;
  /**
   * Accept, for an output field, a list of accepted values each of which fits the field (the
   * gold answers `exactMatch` and `f1` take the best of). Right for data a metric reads
   * (`evaluate`); wrong for data that becomes demos, where a label is shown as the answer.
   * Default false.
   */
  readonly labelLists?: boolean;
}

/** One example value that does not fit the field of the same name. */
export interface ExampleProblem {
  /** Index of the example in the list. */
  readonly index: number;
  /** Where the example came from (file:line), when known. */
  readonly location?: string;
  readonly field: string;
  /** The type(s) the field declares. */
  readonly expected: string;
  readonly problem: string;
}

interface KnownField {
  readonly expected: string;
  readonly checks: readonly FieldCheck[];
  /** The checks of the declarations where the field is an output. */
  readonly outputChecks: readonly FieldCheck[];
}

/** Message lines listed before "... and N more" (every problem is in `details.problems`). */
const LISTED = 50;

/**
 * The fields examples are checked against, by name. With several signatures (a program of
 * several predictors) a name may be declared more than once; a value then has to fit one of
 * its declarations.
 */
function knownFields(specs: readonly Spec[]): Map<string, KnownField> {
  const byName = new Map<string, { types: Set<string>; checks: FieldCheck[]; outputChecks: FieldCheck[] }>();
  const add = (field: FieldSpec, role: FieldRole) => {
    let entry = byName.get(field.name);
    if (!entry) {
      entry = { types: new Set(), checks: [], outputChecks: [] };
      byName.set(field.name, entry);
    }
    entry.types.add(field.typeText);
    const check = fieldCheck(field, role);
    entry.checks.push(check);
    if (role === 'output') entry.outputChecks.push(check);
  };
  for (const spec of specs) {
    for (const f of spec.inputs) add(f, 'input');
    for (const f of spec.outputs) add(f, 'output');
  }
  const out = new Map<string, KnownField>();
  for (const [name, e] of byName) {
    out.set(name, { expected: [...e.types].join(' or '), checks: e.checks, outputChecks: e.outputChecks });
  }
  return out;
}

function valuesOf(example: object): Record<string, unknown> {
  const toJSON = (example as { toJSON?: unknown }).toJSON;
  return (typeof toJSON === 'function' ? toJSON.call(example) : example) as Record<string, unknown>;
}

/** Why `value` fits none of `checks`, or undefined when it fits one. */
function misfit(checks: readonly FieldCheck[], value: unknown): string | undefined {
  let first: string | undefined;
  for (const check of checks) {
    const why = check(value);
    if (why === undefined) return undefined;
    first ??= why;
  }
  return first;
}

/** A non-empty list of accepted values for an output field, each of which fits it. */
function isLabelList(known: KnownField, value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    known.outputChecks.length > 0 &&
    value.every((item) => misfit(known.outputChecks, item) === undefined)
  );
}

function problemsOf(
  specs: readonly Spec[],
  examples: readonly object[],
  locations: readonly (string | undefined)[] | undefined,
  labelLists: boolean,
): ExampleProblem[] {
  const fields = knownFields(specs);
  const problems: ExampleProblem[] = [];
  examples.forEach((example, index) => {
    const values = valuesOf(example);
    const location = locations?.[index];
    for (const [name, value] of Object.entries(values)) {
      const known = fields.get(name);
      // Absent values (undefined, null) are for the required-field checks to judge.
      if (!known || value === undefined || value === null) continue;
      const first = misfit(known.checks, value);
      if (first !== undefined && !(labelLists && isLabelList(known, value))) {
        problems.push({
          index,
          ...(location ? { location } : {}),
          field: name,
          expected: known.expected,
          problem: first,
        });
      }
    }
  });
  return problems;
}

function line(name: string, p: ExampleProblem): string {
  const at = p.location ? `${p.location} (example ${p.index})` : `${name}[${p.index}]`;
  return `${at}: '${p.field}' ${p.problem} (expected ${p.expected})`;
}

/**
 * Checks examples' values against the fields of the signature(s) they are for, with the same
 * ajv validators the run time uses: every value whose key names a field must fit that field
 * (inputs and labels alike; keys that name no field are left alone). Throws one
 * `DATASET_INVALID` error listing every bad example and field at once, so a dataset is fixed
 * in one pass; `details.problems` holds them all. Pass the signature of a single-predictor
 * program, or every predictor's signature of a larger one.
 *
 * @example
 * ```ts
 * validateExamples(specOf(Triage), trainset, { name: 'trainset' });
 * ```
 */
export function validateExamples(
  specs: Spec | readonly Spec[],
  examples: readonly object[],
  options: ValidateExamplesOptions = {},
): void {
  const list = Array.isArray(specs) ? (specs as readonly Spec[]) : [specs as Spec];
  if (list.length === 0 || examples.length === 0) return;
  const problems = problemsOf(list, examples, options.locations, options.labelLists === true);
  if (problems.length === 0) return;
  const name = options.name ?? 'examples';
  const rows = new Set(problems.map((p) => p.index)).size;
  const lines = problems.slice(0, LISTED).map((p) => line(name, p));
  if (problems.length > LISTED) lines.push(`... and ${problems.length - LISTED} more (see details.problems)`);
  const against = list.map((s) => s.name).join(', ');
  throw new DspyError(
    'DATASET_INVALID',
    `${name}: ${rows} example(s) do not fit the fields of ${against}:\n  ${lines.join('\n  ')}`,
    {
      details: {
        where: problems[0]?.location ?? `${name}[${problems[0]?.index}]`,
        problems,
        fix:
          options.fix ??
          'Give each field a value of its declared type (the same types the program checks at run time), or fix the signature if the data is right.',
      },
    },
  );
}
