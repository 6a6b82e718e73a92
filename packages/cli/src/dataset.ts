import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DspyError, Example } from '@dspy-ts/core';
import { parseCsv } from './csv.js';
import { usageError } from './errors.js';

/** One dataset row as read from the file. */
export type Row = Record<string, unknown>;

function invalid(message: string, where: string, fix: string): DspyError {
  return new DspyError('DATASET_INVALID', message, { details: { where, fix } });
}

function parseJsonl(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw invalid(
        `${file}:${i + 1}: malformed JSONL line (${err instanceof Error ? err.message : String(err)})`,
        `${file}:${i + 1}`,
        `Make line ${i + 1} one JSON object, e.g. {"question": "...", "answer": "..."}.`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(
        `${file}:${i + 1}: each JSONL line must be a JSON object`,
        `${file}:${i + 1}`,
        `Make line ${i + 1} one JSON object with the example's fields.`,
      );
    }
    rows.push(value as Row);
  });
  return rows;
}

function parseJsonArray(text: string, file: string): Row[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(
      `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      file,
      'Give a JSON array of objects, or use JSONL (.jsonl) with one object per line.',
    );
  }
  if (!Array.isArray(value)) {
    throw invalid(
      `${file}: a JSON dataset must be an array of objects`,
      file,
      'Wrap the examples in [ ... ].',
    );
  }
  value.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalid(`${file}: item ${i} is not an object`, `${file}[${i}]`, 'Make every item a JSON object.');
    }
  });
  return value as Row[];
}

function parseCsvRows(text: string, file: string): Row[] {
  const [header, ...body] = parseCsv(text);
  if (!header) throw invalid(`${file}: empty CSV file`, file, 'Add a header line naming the columns.');
  return body.map((cells, i) => {
    if (cells.length !== header.length) {
      throw invalid(
        `${file}:${i + 2}: ${cells.length} cell(s) where the header has ${header.length}`,
        `${file}:${i + 2}`,
        'Quote cells that contain commas or line breaks ("a, b").',
      );
    }
    return Object.fromEntries(header.map((name, j) => [name, cells[j] ?? '']));
  });
}

/** Reads a dataset file: JSONL (`.jsonl`, `.ndjson`), CSV (`.csv`) or a JSON array (`.json`). */
export async function readRows(path: string, cwd = process.cwd()): Promise<Row[]> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw usageError(
      `dataset file not found: ${path}`,
      file,
      'Check the path (it is relative to the working directory).',
    );
  }
  const text = await readFile(file, 'utf8');
  const ext = extname(file).toLowerCase();
  const rows =
    ext === '.csv'
      ? parseCsvRows(text, path)
      : ext === '.json'
        ? parseJsonArray(text, path)
        : parseJsonl(text, path);
  if (rows.length === 0) throw invalid(`${path}: no examples`, file, 'Add at least one example.');
  return rows;
}

/** `--inputs a,b` as a list of keys (empty entries dropped). */
export function parseInputsFlag(flag: string | undefined): string[] | undefined {
  if (flag === undefined) return undefined;
  const keys = flag
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return keys.length > 0 ? keys : undefined;
}

/** Turns rows into examples with `inputKeys` marked; every input key must be in every row. */
export function toExamples(rows: readonly Row[], inputKeys: readonly string[], path: string): Example[] {
  return rows.map((row, i) => {
    const missing = inputKeys.filter((k) => !(k in row));
    if (missing.length > 0) {
      throw invalid(
        `${path}: example ${i + 1} has no ${missing.map((k) => `'${k}'`).join(', ')}`,
        `${path}#${i + 1}`,
        `Give every example the input keys (${inputKeys.join(', ')}), or pass --inputs with the keys the data has.`,
      );
    }
    return new Example(row).withInputs(...inputKeys);
  });
}

/** Reads a dataset and marks its inputs. */
export async function loadDataset(path: string, inputKeys: (rows: Row[]) => string[]): Promise<Example[]> {
  const rows = await readRows(path);
  return toExamples(rows, inputKeys(rows), path);
}
