import { DspyError, isDspyError } from '@dspy-ts/core';
import { applyArtifactTo, programForArtifact, readArtifact } from '../artifact-program.js';
import { type Io, type LMFlags, prepare, writeJson } from '../context.js';
import { EXIT_OK } from '../errors.js';
import { type InputFlags, readInput } from '../input.js';
import { loadProgram } from '../program.js';
import { loadGeneratedFor } from '../project.js';

/** Flags of `dspy-ts run`. */
export interface RunFlags extends LMFlags, InputFlags {
  readonly program?: string;
  readonly project?: string;
  readonly generated?: string;
  readonly allowSignatureDrift?: boolean;
}

/**
 * What `forward` returned, as a plain object to print: a `Prediction`'s `toJSON()`, a plain
 * object as it is, anything else under `output`.
 */
export function outputsOf(result: unknown): Record<string, unknown> {
  if (result !== null && typeof result === 'object') {
    const toJSON = (result as { toJSON?: unknown }).toJSON;
    const value: unknown = typeof toJSON === 'function' ? toJSON.call(result) : result;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return { output: value };
  }
  return { output: result };
}

/** An input the program refuses is bad usage of `--input` (exit 2); other errors pass through. */
function inputError(err: unknown): unknown {
  if (!isDspyError(err) || err.code !== 'INPUT_INVALID') return err;
  const fix = typeof err.details.fix === 'string' ? err.details.fix : 'Pass every input the program takes.';
  return new DspyError('CLI_USAGE', `--input: ${err.message}`, {
    cause: err,
    details: { where: '--input', fix },
  });
}

/** `dspy-ts run <artifact> --program src/x.ts#X --input '{...}'`: loads the frozen program and runs it once. */
export async function runCommand(path: string, flags: RunFlags, io: Io): Promise<number> {
  const inputs = await readInput(flags, io);
  const { artifact, file } = await readArtifact(path);
  const ctx = await prepare(flags, io);
  const ref = programForArtifact(flags.program, ctx.config, artifact, file, io);
  await loadGeneratedFor(flags, ctx.config, io);
  const program = await loadProgram(ref);
  applyArtifactTo(program, artifact, flags.allowSignatureDrift);
  const result: unknown = await program.forward(inputs).catch((err: unknown) => {
    throw inputError(err);
  });
  const outputs = outputsOf(result);
  if (flags.json) writeJson(io, outputs);
  else {
    for (const [key, value] of Object.entries(outputs)) {
      io.stdout.write(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    }
  }
  return EXIT_OK;
}
