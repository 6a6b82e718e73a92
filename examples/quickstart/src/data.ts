import { readFileSync } from 'node:fs';
import { Example } from '@dspy-ts/core';
import type { Intent } from './intent.js';

/** One labelled Banking77 message. */
export type Row = {
  text: string;
  label: Intent;
};

/** Reads `data/<name>.jsonl` as examples whose input is `text`. */
export function loadSplit(name: 'train' | 'dev'): Example<Row>[] {
  const text = readFileSync(new URL(`../data/${name}.jsonl`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => new Example(JSON.parse(line) as Row).withInputs('text'));
}
