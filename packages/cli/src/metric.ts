import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { exactMatch, exactMatchOn, f1, f1On, type Metric } from '@dspy-ts/core';
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
  const [name, field] = text.includes('#') ? [text, undefined] : text.split(':', 2);
  if (name === 'exactMatch' || name === 'f1') {
    const on = field ?? defaultAnswerField(program);
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
