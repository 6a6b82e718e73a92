import { createHash } from 'node:crypto';
import {
  Field,
  FixedSizeList,
  Float32,
  makeData,
  makeVector,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';

/** The columns of a retriever's table. */
export const COLUMNS = ['id', 'text', 'hash', 'vector'] as const;

/** The content hash a document is stored under (and its id when none is given). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Documents ready to be written: ids, texts, hashes and their unit vectors. */
export interface Rows {
  readonly ids: readonly string[];
  readonly texts: readonly string[];
  readonly hashes: readonly string[];
  readonly vectors: readonly Float32Array[];
}

function vectorType(dimension: number): FixedSizeList<Float32> {
  return new FixedSizeList(dimension, new Field('item', new Float32(), true));
}

/** The schema of a table of `dimension`-dim vectors. */
export function tableSchema(dimension: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('hash', new Utf8(), false),
    new Field('vector', vectorType(dimension), false),
  ]);
}

/** The rows as one Arrow table, the vectors in one contiguous buffer. */
export function toArrow(rows: Rows, dimension: number): Table {
  const n = rows.ids.length;
  const flat = new Float32Array(n * dimension);
  rows.vectors.forEach((v, i) => {
    flat.set(v, i * dimension);
  });
  const child = makeData({ type: new Float32(), length: n * dimension, data: flat });
  const vectors = makeData({ type: vectorType(dimension), length: n, nullCount: 0, child });
  const utf8 = (xs: readonly string[]) => vectorFromArray([...xs], new Utf8());
  return new Table(tableSchema(dimension), {
    id: utf8(rows.ids),
    text: utf8(rows.texts),
    hash: utf8(rows.hashes),
    vector: makeVector(vectors),
  });
}

/** A SQL string literal (quotes doubled). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** `id IN ('a', 'b')` for a filter. */
export function idIn(ids: readonly string[]): string {
  return `id IN (${ids.map(sqlString).join(', ')})`;
}
