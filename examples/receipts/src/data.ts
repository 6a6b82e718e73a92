import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Example, Image } from '@dspy-ts/core';
import type { ReceiptRow } from './make-receipts.js';

const DATA = new URL('../data/', import.meta.url);

/** The rows of `data/receipts.jsonl` of one split. */
export function receiptRows(split: 'train' | 'dev'): ReceiptRow[] {
  return readFileSync(new URL('receipts.jsonl', DATA), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceiptRow)
    .filter((row) => row.split === split);
}

/** The path of a receipt image. */
export function imagePath(row: Pick<ReceiptRow, 'image'>): string {
  return fileURLToPath(new URL(row.image, DATA));
}

/** The receipts of one split as examples: the image and the question in, the answer out. */
export async function loadReceipts(split: 'train' | 'dev'): Promise<Example[]> {
  return Promise.all(
    receiptRows(split).map(async (row) => {
      const receipt = await Image.fromFile(imagePath(row));
      const { question, merchant, total, date, currency } = row;
      return new Example({ receipt, question, merchant, total, date, currency }).withInputs(
        'receipt',
        'question',
      );
    }),
  );
}
