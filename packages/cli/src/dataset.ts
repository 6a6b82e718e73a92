import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import {
  DspyError,
  Example,
  type FieldSpec,
  isDspyError,
  type SignatureSpec,
  validateExamples,
} from '@dspy-ts/core';
import { parseCsvTable } from './csv.js';
import { fieldsByName, typedCell } from './dataset-fields.js';
import { usageError } from './errors.js';
import { arrayItemLines } from './json-lines.js';

/** One dataset row as read from the file. */
export type Row = Record<string, unknown>;

/** Rows read from a dataset file, with the `file:line` each one starts on. */
export interface DatasetRows {
  readonly rows: Row[];
  readonly locations: string[];
}

type Spec = SignatureSpec<object, object>;

/** A UTF-8 byte order mark, which editors on Windows put at the start of a file. */
const BOM = '\uFEFF';

function invalid(message: string, where: string, fix: string): DspyError {
  return new DspyError('DATASET_INVALID', message, { details: { where, fix } });
}

function parseJsonl(text: string, file: string): DatasetRows {
  const rows: Row[] = [];
  const locations: string[] = [];
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
    locations.push(`${file}:${i + 1}`);
  });
  return { rows, locations };
}

function parseJsonArray(text: string, file: string): DatasetRows {
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
  const lines = arrayItemLines(text);
  return { rows: value as Row[], locations: value.map((_, i) => `${file}:${lines[i] ?? 1}`) };
}

function parseCsvRows(text: string, file: string, fields: ReadonlyMap<string, FieldSpec>): DatasetRows {
  const { rows: table, lines } = parseCsvTable(text);
  const [header, ...body] = table;
  if (!header) throw invalid(`${file}: empty CSV file`, file, 'Add a header line naming the columns.');
  const locations = body.map((_, i) => `${file}:${lines[i + 1] ?? i + 2}`);
  const rows = body.map((cells, i) => {
    if (cells.length !== header.length) {
      throw invalid(
        `${locations[i]}: ${cells.length} cell(s) where the header has ${header.length}`,
        locations[i] as string,
        'Quote cells that contain commas or line breaks ("a, b").',
      );
    }
    const row: Row = {};
    header.forEach((name, j) => {
      const value = typedCell(fields.get(name), cells[j] ?? '');
      if (value !== undefined) row[name] = value;
    });
    return row;
  });
  return { rows, locations };
}

/**
 * Reads a dataset file with the line each row starts on: JSONL (`.jsonl`, `.ndjson`), CSV
 * (`.csv`) or a JSON array (`.json`). A UTF-8 byte order mark is dropped. CSV cells are typed by
 * the field of the same name in `specs` (JSON for arrays and objects, numbers, booleans).
 */
export async function readDataset(
  path: string,
  specs: readonly Spec[] = [],
  cwd = process.cwd(),
): Promise<DatasetRows> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw usageError(
      `dataset file not found: ${path}`,
      file,
      'Check the path (it is relative to the working directory).',
    );
  }
  let text = await readFile(file, 'utf8');
  if (text.startsWith(BOM)) text = text.slice(BOM.length);
  const ext = extname(file).toLowerCase();
  const read =
    ext === '.csv'
      ? parseCsvRows(text, path, fieldsByName(specs))
      : ext === '.json'
        ? parseJsonArray(text, path)
        : parseJsonl(text, path);
  if (read.rows.length === 0) throw invalid(`${path}: no examples`, file, 'Add at least one example.');
  return read;
}

/** Reads a dataset file's rows (see {@link readDataset}). */
export async function readRows(path: string, cwd = process.cwd()): Promise<Row[]> {
  return (await readDataset(path, [], cwd)).rows;
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

/** Where row `i` is, as `validateExamples` names it: `file:line (example i)`, else `file[i]`. */
function rowName(path: string, i: number, locations?: readonly string[]): string {
  const at = locations?.[i];
  return at ? `${at} (example ${i})` : `${path}[${i}]`;
}

/** One line per row that lacks an input key (every such row, not only the first). */
function missingInputLines(
  rows: readonly Row[],
  inputKeys: readonly string[],
  path: string,
  locations?: readonly string[],
): string[] {
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const missing = inputKeys.filter((k) => !(k in row));
    if (missing.length > 0) {
      lines.push(`${rowName(path, i, locations)} has no ${missing.map((k) => `'${k}'`).join(', ')}`);
    }
  });
  return lines;
}

const inputKeysFix = (inputKeys: readonly string[]) =>
  `Give every example the input keys (${inputKeys.join(', ')}), or pass --inputs with the keys the data has.`;

/**
 * Turns rows into examples with `inputKeys` marked; every input key must be in every row
 * (one `DATASET_INVALID` lists every row that lacks one). `locations` (`file:line` per row,
 * from {@link readDataset}) name the rows in the error.
 */
export function toExamples(
  rows: readonly Row[],
  inputKeys: readonly string[],
  path: string,
  locations?: readonly string[],
): Example[] {
  const missing = missingInputLines(rows, inputKeys, path, locations);
  if (missing.length > 0) {
    throw invalid(
      `${path}: ${missing.length} example(s) lack an input key:\n  ${missing.join('\n  ')}`,
      missing[0]?.split(' ')[0] ?? path,
      inputKeysFix(inputKeys),
    );
  }
  return rows.map((row) => new Example(row).withInputs(...inputKeys));
}

/**
 * Reads a dataset, marks its inputs and checks its values against the program's signatures
 * (`validateExamples`): every row that lacks an input key and every row and field that does
 * not fit is listed, with its `file:line`, in one `DATASET_INVALID` error. `labelLists`: data
 * only a metric reads (`eval`) may give a label as a list of accepted answers.
 */
export async function loadDataset(
  path: string,
  inputKeys: (rows: Row[]) => string[],
  specs: readonly Spec[] = [],
  labelLists = false,
): Promise<Example[]> {
  const { rows, locations } = await readDataset(path, specs);
  const keys = inputKeys(rows);
  const missing = missingInputLines(rows, keys, path, locations);
  const examples = rows.map((row) => new Example(row).withInputs(...keys));
  let values: DspyError | undefined;
  try {
    validateExamples(specs, examples, {
      name: path,
      locations,
      labelLists,
      fix: `Fix the listed rows of ${path} so each value has its field's declared type.`,
    });
  } catch (err) {
    if (!isDspyError(err, 'DATASET_INVALID') || missing.length === 0) throw err;
    values = err;
  }
  if (missing.length === 0) return examples;
  const lines = [
    ...missing,
    ...(values
      ? values.message
          .split('\n')
          .slice(1)
          .map((l) => l.trim())
      : []),
  ];
  throw new DspyError('DATASET_INVALID', `${path}: ${lines.length} problem(s):\n  ${lines.join('\n  ')}`, {
    details: {
      where: missing[0]?.split(' ')[0] ?? path,
      ...(values ? { problems: values.details.problems } : {}),
      fix: `${inputKeysFix(keys)}${values ? " Give each other listed value its field's declared type." : ''}`,
    },
  });
}
