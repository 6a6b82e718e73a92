import { createHash } from 'node:crypto';
import {
  DspyError,
  type Example,
  type Metric,
  type Prediction,
  type Predictor,
  type PredictorState,
} from '@dspy-ts/core';
import { canonicalJson } from '@dspy-ts/core/internal';

/**
 * What optimizers need of a train or validation example; every `Example<T>` fits (a
 * structural type, because `Example<{ question: string }>` is not assignable to the wide `Example`).
 */
export interface TrainExample {
  readonly inputKeys: readonly string[] | undefined;
  inputs(): { toJSON(): Record<string, unknown> };
  labels(): { toJSON(): Record<string, unknown> };
  toJSON(): Record<string, unknown>;
  keys(): string[];
  has(key: string): boolean;
}

/**
 * What optimizers need of a program: `Module` (and `Predict`, which is one) fits. `clone()`
 * must return a deep, independent copy; optimizers only ever change clones.
 */
export interface CompilableProgram {
  /** Runs the program (optimizers pass the example's inputs as a plain object). */
  forward(inputs: never): Promise<object>;
  namedPredictors(): Iterable<readonly [string, Predictor]>;
  clone(): this;
}

/** Every predictor of `program` by path, in the program's order. */
export function predictorsOf(program: CompilableProgram): [string, Predictor][] {
  return [...program.namedPredictors()].map(([p, pred]) => [p, pred]);
}

/** A deep copy of `program` (never the same object). */
export function cloneProgram<P extends CompilableProgram>(program: P): P {
  const copy = program.clone();
  if (copy === program) {
    throw new DspyError(
      'MODULE_INVALID',
      `${program.constructor.name}.clone() returned the program itself.`,
      {
        details: {
          where: `${program.constructor.name}.clone`,
          fix: 'Return a deep, independent copy from clone().',
        },
      },
    );
  }
  return copy;
}

/** Every predictor's state by path (plain JSON). */
export function programState(program: CompilableProgram): Record<string, PredictorState> {
  const out: Record<string, PredictorState> = {};
  for (const [path, pred] of predictorsOf(program)) out[path] = pred.dumpState();
  return out;
}

/** SHA-256 (hex, first 16 chars) of canonical JSON. */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** Number of demos per predictor path (for reports). */
export function demoCounts(program: CompilableProgram): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, pred] of predictorsOf(program)) out[path] = pred.demos.length;
  return out;
}

/**
 * Checks that `teacher` has the same predictor paths and signatures as `student`; throws
 * `OPTIMIZER_INVALID` listing every difference.
 */
export function assertSameStructure(
  optimizer: string,
  student: CompilableProgram,
  teacher: CompilableProgram,
): void {
  const s = predictorsOf(student);
  const t = predictorsOf(teacher);
  const problems: string[] = [];
  const tMap = new Map(t);
  for (const [path, pred] of s) {
    const other = tMap.get(path);
    if (!other) problems.push(`student predictor '${path}' has no counterpart in the teacher`);
    else if (fieldsText(other) !== fieldsText(pred)) {
      problems.push(`'${path}': student signature ${fieldsText(pred)}, teacher ${fieldsText(other)}`);
    }
  }
  const sPaths = new Set(s.map(([p]) => p));
  for (const [path] of t)
    if (!sPaths.has(path)) problems.push(`teacher predictor '${path}' is not in the student`);
  if (problems.length > 0) {
    throw new DspyError(
      'OPTIMIZER_INVALID',
      `${optimizer}: teacher and student differ:\n  ${problems.join('\n  ')}`,
      {
        details: {
          where: `${optimizer}.compile(teacher)`,
          problems,
          fix: 'Use a teacher of the same program class (e.g. student.clone() with another LM).',
        },
      },
    );
  }
}

/** A metric as optimizers call it (on {@link TrainExample}s). */
export type TrainMetric = Metric<TrainExample, Prediction>;

/** A user metric typed for optimizers' calls (every `Example<T>` is an `Example` at run time). */
export function asTrainMetric(metric: Metric): TrainMetric {
  return metric as unknown as Metric<TrainExample, Prediction>;
}

/** A train example as core's `Example` type (it is one at run time). */
export function asExample(example: TrainExample): Example {
  return example as unknown as Example;
}

function fieldsText(p: Predictor): string {
  const names = (fs: readonly { name: string }[]) => fs.map((f) => f.name).join(', ');
  return `${p.signature.name}(${names(p.signature.inputs)} -> ${names(p.signature.outputs)})`;
}

/** Runs `program.forward` on plain inputs (every module's forward takes its inputs object). */
export function runProgram(program: CompilableProgram, inputs: Record<string, unknown>): Promise<Prediction> {
  return (program as unknown as { forward(i: Record<string, unknown>): Promise<Prediction> }).forward(inputs);
}
