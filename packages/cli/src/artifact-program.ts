import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { type Artifact, applyArtifact, loadArtifact } from '@dspy-ts/core';
import type { CliConfig } from './config.js';
import type { Io } from './context.js';
import { usageError } from './errors.js';
import { type ProgramRef, parseProgramRef } from './program.js';

/** Reads an artifact file, with a usage error when it does not exist. */
export async function readArtifact(path: string): Promise<{ artifact: Artifact; file: string }> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw usageError(
      `artifact not found: ${path}`,
      file,
      'Check the path, or create it with dspy-ts compile ... --out <file>.',
    );
  }
  return { artifact: await loadArtifact(file), file };
}

/**
 * The program an artifact's provenance says it was compiled from, as text for people to read
 * (`module#export`, the module relative to the working directory). Information only: the CLI
 * never imports it, since an artifact may come from anywhere.
 */
export function recordedProgram(
  artifact: Artifact,
  artifactFile: string,
  cwd = process.cwd(),
): string | undefined {
  const rec = (artifact.provenance as { program?: { module?: unknown; export?: unknown } } | undefined)
    ?.program;
  if (!rec || typeof rec.module !== 'string' || typeof rec.export !== 'string') return undefined;
  if (rec.module === '' || rec.export === '' || rec.export.includes('#')) return undefined;
  const module = relative(cwd, resolve(dirname(artifactFile), rec.module))
    .split('\\')
    .join('/');
  // Text from the artifact's author: no control characters reach the terminal.
  return printable(`${module}#${rec.export}`);
}

/** `text` with its control characters (C0, DEL, C1) shown as `?`. */
function printable(text: string): string {
  return [...text].map((ch) => (isControl(ch.charCodeAt(0)) ? '?' : ch)).join('');
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** True when a recorded `module#export` is a file of the project (inside `cwd`) that exists. */
function inProject(recorded: string, cwd: string): boolean {
  const { module } = parseProgramRef(recorded);
  return !module.startsWith('..') && !isAbsolute(module) && existsSync(resolve(cwd, module));
}

function sameProgram(a: ProgramRef, b: ProgramRef, cwd: string): boolean {
  return resolve(cwd, a.module) === resolve(cwd, b.module) && a.exportName === b.exportName;
}

/**
 * The program to load an artifact into: `--program module#Export`, else the config file's
 * `program`. An artifact holds no code and names none that runs: with neither, this is a
 * usage error. When the artifact's provenance records another program, one line on stderr
 * says so.
 */
export function programForArtifact(
  flag: string | undefined,
  config: CliConfig,
  artifact: Artifact,
  artifactFile: string,
  io: Io,
  cwd = process.cwd(),
): ProgramRef {
  const recorded = recordedProgram(artifact, artifactFile, cwd);
  const given = flag ?? config.program;
  if (given === undefined) {
    // Only a module of this project is worth suggesting; one elsewhere is never named as a fix.
    const hint =
      recorded && inProject(recorded, cwd)
        ? ` Its provenance says it was compiled from ${recorded}: check that module is yours, then pass --program ${recorded}.`
        : '';
    throw usageError(
      `no program to load ${relative(cwd, artifactFile) || artifactFile} into: an artifact holds no code, and dspy-ts runs only a program you name`,
      '--program',
      `Pass --program src/x.ts#Export (the program class the artifact was compiled from), or set program in dspy-ts.config.${hint}`,
    );
  }
  const ref = parseProgramRef(given);
  if (recorded && !sameProgram(ref, parseProgramRef(recorded), cwd)) {
    const source = flag !== undefined ? '--program' : 'the config file';
    io.stderr.write(
      `dspy-ts: note: ${relative(cwd, artifactFile) || artifactFile} was compiled from ${recorded} (its provenance), but ${source} gives ${given}.\n`,
    );
  }
  return ref;
}

/** Loads the artifact's predictor states into the program, with `--allow-signature-drift` passed on. */
export function applyArtifactTo(program: object, artifact: Artifact, allowSignatureDrift?: boolean): void {
  applyArtifact(program, artifact, allowSignatureDrift ? { allowSignatureDrift: true } : {});
}
