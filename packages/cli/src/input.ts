import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from './context.js';
import { usageError } from './errors.js';

/** Where `dspy-ts run` reads its inputs: `--input` (JSON, `@file` or `-`) or `--input-file` (path or `-`). */
export interface InputFlags {
  readonly input?: string;
  readonly inputFile?: string;
}

const EXAMPLE = `--input '{"question": "..."}', --input-file input.json, or --input - (stdin)`;

/** Parses the text of the program's inputs: one JSON object. `from` names where it came from. */
export function parseInput(text: string, from: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const shown = text.length > 200 ? `${text.slice(0, 199)}…` : text;
    throw usageError(
      `${from} is not valid JSON: ${shown}`,
      from,
      `Give one JSON object of the program's inputs: ${EXAMPLE}.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(`${from} must be a JSON object`, from, `Give one JSON object, e.g. ${EXAMPLE}.`);
  }
  return value as Record<string, unknown>;
}

async function readStdin(io: Io): Promise<string> {
  if (!io.stdin) throw usageError('no standard input to read', '-', `Pass ${EXAMPLE}.`);
  let text = '';
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

async function readInputFile(path: string, flag: string): Promise<string> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw usageError(
      `${flag}: file not found: ${path}`,
      file,
      'Check the path (it is relative to the working directory).',
    );
  }
  return readFile(file, 'utf8');
}

/**
 * Reads the inputs of `dspy-ts run` from exactly one source: `--input '{...}'`, `--input @file.json`,
 * `--input -` (stdin), or `--input-file file.json` (`-` for stdin).
 */
export async function readInput(flags: InputFlags, io: Io): Promise<Record<string, unknown>> {
  if (flags.input !== undefined && flags.inputFile !== undefined) {
    throw usageError('--input and --input-file do not go together', '--input-file', 'Pass only one of them.');
  }
  if (flags.inputFile !== undefined) {
    const from = flags.inputFile === '-' ? 'stdin' : flags.inputFile;
    const text =
      flags.inputFile === '-' ? await readStdin(io) : await readInputFile(flags.inputFile, '--input-file');
    return parseInput(text, `--input-file ${from}`);
  }
  const input = flags.input;
  if (input === undefined) {
    throw usageError('no inputs given', '--input', `Pass ${EXAMPLE}.`);
  }
  if (input === '-') return parseInput(await readStdin(io), '--input - (stdin)');
  if (input.startsWith('@')) {
    return parseInput(await readInputFile(input.slice(1), '--input'), `--input ${input}`);
  }
  return parseInput(input, '--input');
}
