import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Artifact, type Example, exactMatch, exactMatchOn, f1, f1On, type Metric } from '@dspy-ts/core';
import { REASONING_FIELD } from '@dspy-ts/core/internal';
import { usageError } from './errors.js';
import { importModule, type LoadedProgram, parseProgramRef, predictorsOfProgram } from './program.js';

/** Built-in metric names `--metric` accepts (optionally `name:field`). */
export const BUILTIN_METRICS = ['exactMatch', 'f1'] as const;

/** The output field a built-in metric compares: `answer` when the program has it, else its last predictor's first output. */
export function defaultAnswerField(program: LoadedProgram): string {
  const preds = predictorsOfProgram(program);
  const outputs = preds.flatMap(([, p]) => p.signature.outputs.map((f) => f.name));
  if (outputs.includes('answer')) return 'answer';
  const last = preds
    .at(-1)?.[1]
    .signature.outputs.map((f) => f.name)
    .filter((n) => n !== REASONING_FIELD.name);
  return last?.[0] ?? 'answer';
}

/**
 * Resolves `--metric`: `exactMatch` / `f1` (on `answer`, or the program's output field; `f1:field`
 * names one), or `module#export` for a metric function of the project.
 */
export async function resolveMetric(flag: string | undefined, program: LoadedProgram): Promise<Metric> {
  const text = flag ?? 'exactMatch';
  const builtin = BUILTIN_TEXT.exec(text);
  if (builtin) {
    const name = builtin[1];
    const on = builtin[2] ?? defaultAnswerField(program);
    if (on === 'answer') return (name === 'f1' ? f1 : exactMatch) as Metric;
    return (name === 'f1' ? f1On(on) : exactMatchOn(on)) as Metric;
  }
  if (!text.includes('#')) {
    throw usageError(
      `unknown metric '${text}'`,
      '--metric',
      `Use ${BUILTIN_METRICS.join(', ')} (optionally name:field), or module#export for your own metric function.`,
    );
  }
  const ref = parseProgramRef(text);
  const file = resolve(ref.module);
  if (!existsSync(file)) {
    throw usageError(`metric module not found: ${ref.module}`, file, 'Check the path before # in --metric.');
  }
  const mod = await importModule(file);
  const fn = mod[ref.exportName];
  if (typeof fn !== 'function') {
    throw usageError(
      `${ref.module} has no metric function '${ref.exportName}'`,
      text,
      `Export a function (example, prediction) => number | boolean as ${ref.exportName}.`,
    );
  }
  return fn as Metric;
}

/** The `--metric` text a command uses, and where it came from. */
export interface MetricChoice {
  readonly text: string;
  readonly source: '--metric' | 'artifact' | 'default';
}

/** `exactMatch` / `f1`, optionally `:field` (a field name, never a path). */
const BUILTIN_TEXT = /^(exactMatch|f1)(?::([A-Za-z_$][\w$]*))?$/;
/** A built-in metric as provenance records it: `exactMatch`, `f1(label)`. */
const RECORDED_BUILTIN = /^(exactMatch|f1)(?:\(([A-Za-z_$][\w$]*)\))?$/;
/** A metric function's name as provenance records it. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The metric to score with: `--metric`, else the built-in metric recorded in the artifact's
 * provenance at compile time (`exactMatch(label)` → `exactMatch:label`), else `exactMatch`.
 * A recorded metric of the project's own (code) is never loaded from the artifact: it must be
 * named with `--metric module#export`.
 */
export function chooseMetric(flag: string | undefined, artifact?: Artifact): MetricChoice {
  if (flag !== undefined) return { text: flag, source: '--metric' };
  const recorded = artifact?.provenance?.metric;
  if (typeof recorded !== 'string') return { text: 'exactMatch', source: 'default' };
  const builtin = RECORDED_BUILTIN.exec(recorded);
  if (!builtin) {
    // Provenance is text from the artifact's author: it names nothing that runs, and is quoted
    // only when it is a plain function name.
    const name = IDENTIFIER.test(recorded) ? recorded : undefined;
    throw usageError(
      name
        ? `the artifact was compiled with the metric '${name}', a function of the project that an artifact cannot hold`
        : 'the artifact records a metric that is not a built-in one; an artifact cannot hold a metric function',
      '--metric',
      `Name your metric: --metric <module>#${name ?? '<export>'} (e.g. --metric src/metric.ts#${name ?? 'metric'}), or a built-in: --metric exactMatch:<field>.`,
    );
  }
  return { text: `${builtin[1]}:${builtin[2] ?? 'answer'}`, source: 'artifact' };
}

/** The field a built-in metric compares (`exactMatch:label` → `label`), or undefined for a metric function. */
export function builtinMetricField(text: string, program: LoadedProgram): string | undefined {
  const builtin = BUILTIN_TEXT.exec(text);
  return builtin ? (builtin[2] ?? defaultAnswerField(program)) : undefined;
}

/**
 * Refuses a built-in metric whose field no example of the data has (it would score every
 * example 0 without a word), saying which fields there are and how to name one.
 */
export function checkMetricField(
  choice: MetricChoice,
  program: LoadedProgram,
  examples: readonly Example[],
  dataPath: string,
): void {
  const field = builtinMetricField(choice.text, program);
  if (field === undefined || examples.some((ex) => Object.hasOwn(ex.labels().toJSON(), field))) return;
  const labels = [...new Set(examples.flatMap((ex) => Object.keys(ex.labels().toJSON())))];
  const name = choice.text.split(':', 1)[0];
  const what =
    choice.source === 'default'
      ? `the default metric ${name}`
      : choice.source === 'artifact'
        ? `the metric recorded in the artifact (${choice.text})`
        : `--metric ${choice.text}`;
  throw usageError(
    `${what} compares the field '${field}', which no example of ${dataPath} has (its labels: ${labels.join(', ') || 'none'})`,
    '--metric',
    `Name the field to compare: --metric ${name}:<field>${labels[0] ? `, e.g. --metric ${name}:${labels[0]}` : ''}, or --metric <module>#<export> for a metric function.`,
  );
}
