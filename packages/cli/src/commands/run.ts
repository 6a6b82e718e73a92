import { applyArtifact, DspyError, isDspyError, type Prediction } from '@dspy-ts/core';
import { programForArtifact, readArtifact } from '../artifact-program.js';
import { type Io, type LMFlags, prepare, writeJson } from '../context.js';
import { EXIT_OK, usageError } from '../errors.js';
import { loadProgram } from '../program.js';
import { loadGeneratedFor } from '../project.js';

/** Flags of `dspy-ts run`. */
export interface RunFlags extends LMFlags {
  readonly program?: string;
  readonly input: string;
  readonly project?: string;
  readonly generated?: string;
}

/** Parses `--input '{...}'` (a JSON object of the program's inputs). */
export function parseInput(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usageError(
      `--input is not valid JSON: ${text}`,
      '--input',
      `Pass a JSON object in single quotes: --input '{"question": "..."}'.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError('--input must be a JSON object', '--input', `Pass --input '{"question": "..."}'.`);
  }
  return value as Record<string, unknown>;
}

function plain(prediction: Prediction): Record<string, unknown> {
  return prediction.toJSON() as Record<string, unknown>;
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

/** `dspy-ts run <artifact> --input '{...}'`: loads the frozen program and runs it once. */
export async function runCommand(path: string, flags: RunFlags, io: Io): Promise<number> {
  const inputs = parseInput(flags.input);
  const { artifact, file } = await readArtifact(path);
  const ref = programForArtifact(flags.program, artifact, file);
  const ctx = await prepare(flags, io);
  await loadGeneratedFor(flags, ctx.config);
  const program = await loadProgram(ref);
  applyArtifact(program, artifact);
  const prediction = await program.forward(inputs).catch((err: unknown) => {
    throw inputError(err);
  });
  const outputs = plain(prediction);
  if (flags.json) writeJson(io, outputs);
  else {
    for (const [key, value] of Object.entries(outputs)) {
      io.stdout.write(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    }
  }
  return EXIT_OK;
}
