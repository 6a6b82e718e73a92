import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DspyError,
  isDspyError,
  Predict,
  type Prediction,
  type Predictor,
  type SignatureSpec,
  specOf,
} from '@dspy-ts/core';
import { isPredictor } from '@dspy-ts/core/internal';
import type { CompilableProgram } from '@dspy-ts/optimize';
import { usageError } from './errors.js';

/** A program named on the command line: `src/triage.ts#Triage`. */
export interface ProgramRef {
  /** The module path as given (relative to the working directory). */
  readonly module: string;
  /** The export name (`default` when the reference has no `#`). */
  readonly exportName: string;
}

/** A program ready to run: what the CLI calls and saves. */
export type LoadedProgram = CompilableProgram & {
  forward(inputs: Record<string, unknown>): Promise<Prediction>;
  save?(path: string, opts?: object): Promise<void>;
  load?(pathOrArtifact: unknown, opts?: object): Promise<unknown>;
};

const TS_LOADER = Symbol.for('dspy-ts.cli.tsLoader');

/** Parses `path#Export` (the export defaults to `default`). */
export function parseProgramRef(text: string): ProgramRef {
  const hash = text.lastIndexOf('#');
  const module = hash < 0 ? text : text.slice(0, hash);
  const exportName = hash < 0 ? 'default' : text.slice(hash + 1);
  if (module === '' || exportName === '') {
    throw usageError(
      `bad program reference '${text}'`,
      text,
      'Name a program as <module path>#<export>, e.g. src/triage.ts#Triage.',
    );
  }
  return { module, exportName };
}

/** Makes `.ts` modules importable in this process (tsx's ESM API), once. */
async function ensureTypeScriptLoader(): Promise<void> {
  const flags = globalThis as { [TS_LOADER]?: boolean };
  if (flags[TS_LOADER]) return;
  const { register } = await import('tsx/esm/api');
  register();
  flags[TS_LOADER] = true;
}

/**
 * Imports a module of the user's project. Modules are imported into this process's module graph
 * (tsx registered globally) rather than with `tsImport`'s isolated namespace, so the program and
 * the CLI share one `@dspy-ts/core` and the program sees the LM the CLI configures.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  await ensureTypeScriptLoader();
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Imports the project's generated module (`dspy-ts build` output) when it exists. */
export async function importGenerated(generatedFile: string | undefined): Promise<boolean> {
  if (!generatedFile || !existsSync(generatedFile)) return false;
  await importModule(generatedFile);
  return true;
}

function isProgram(value: unknown): value is LoadedProgram {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { forward?: unknown }).forward === 'function' &&
    typeof (value as { namedPredictors?: unknown }).namedPredictors === 'function'
  );
}

/** Errors that mean the build step's output is missing or out of date: reported as they are. */
const BUILD_CODES = ['MANIFEST_STALE', 'SCHEMA_MISSING'] as const;

function isSignatureTarget(value: unknown): boolean {
  try {
    specOf(value as Parameters<typeof specOf>[0]);
    return true;
  } catch (err) {
    if (isDspyError(err, ...BUILD_CODES)) throw err;
    return false;
  }
}

/**
 * Turns an export into a program: a program instance is used as it is; a `Module` class is
 * constructed without arguments; a `@Signature` class (or a string signature) becomes a `Predict`.
 */
export function instantiate(value: unknown, where: string): LoadedProgram {
  if (isProgram(value)) return value;
  if (typeof value === 'string' || (typeof value === 'function' && isSignatureTarget(value))) {
    return new Predict(value as ConstructorParameters<typeof Predict>[0]) as unknown as LoadedProgram;
  }
  if (typeof value === 'function') {
    let instance: unknown;
    try {
      instance = new (value as new () => unknown)();
    } catch (err) {
      // The library's own errors (a stale build, a bad signature) are the real cause: keep them.
      if (isDspyError(err)) throw err;
      const why = err instanceof Error ? err.message : String(err);
      throw new DspyError('CLI_USAGE', `cannot construct ${where} without arguments: ${why}`, {
        cause: err,
        details: {
          where,
          fix: 'Export a program instance (export const program = new MyProgram(...)) or a class whose constructor takes no arguments.',
        },
      });
    }
    if (isProgram(instance)) return instance;
  }
  throw usageError(
    `${where} is not a program`,
    where,
    'Export a Module subclass, a Module instance, a @Signature class or a string signature.',
  );
}

/** Imports `ref` from the working directory and returns its program. */
export async function loadProgram(ref: ProgramRef, cwd = process.cwd()): Promise<LoadedProgram> {
  const file = resolve(cwd, ref.module);
  if (!existsSync(file)) {
    throw usageError(
      `program module not found: ${ref.module}`,
      file,
      'Check the path before # (relative to the working directory), e.g. src/triage.ts#Triage.',
    );
  }
  const mod = await importModule(file);
  if (!(ref.exportName in mod)) {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw usageError(
      `${ref.module} has no export '${ref.exportName}'`,
      `${ref.module}#${ref.exportName}`,
      names.length > 0
        ? `Use one of its exports: ${names.map((n) => `${ref.module}#${n}`).join(', ')}.`
        : `Export the program from ${ref.module}.`,
    );
  }
  return instantiate(mod[ref.exportName], `${ref.module}#${ref.exportName}`);
}

/** Every predictor of a program by path. */
export function predictorsOfProgram(program: LoadedProgram): [string, Predictor][] {
  return [...program.namedPredictors()].filter(([, p]) => isPredictor(p)).map(([path, p]) => [path, p]);
}

/** The signature of every predictor of a program (what its datasets are checked against). */
export function signaturesOf(program: LoadedProgram): SignatureSpec<object, object>[] {
  return predictorsOfProgram(program).map(([, p]) => p.signature);
}

/**
 * The input keys of a dataset for a program: `--inputs` when given; for a single-predictor
 * program, its signature's inputs; else every key except the predictors' output field names.
 */
export function inputKeysFor(
  program: LoadedProgram,
  keys: readonly string[],
  flag?: readonly string[],
): string[] {
  if (flag) return [...flag];
  const preds = predictorsOfProgram(program);
  const only = preds.length === 1 ? preds[0] : undefined;
  if (only) return only[1].signature.inputs.map((f) => f.name).filter((k) => keys.includes(k));
  const outputs = new Set(preds.flatMap(([, p]) => p.signature.outputs.map((f) => f.name)));
  return keys.filter((k) => !outputs.has(k));
}

/** Directory of a module path (for locating a project's generated module). */
export function moduleDir(ref: ProgramRef, cwd = process.cwd()): string {
  return dirname(resolve(cwd, ref.module));
}
