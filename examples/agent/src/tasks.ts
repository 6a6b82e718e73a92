import { readFileSync } from 'node:fs';
import { Example } from '@dspy-ts/core';

/**
 * What a customer asks: an order's status (1 tool call), where its parcel is (2 calls: the order
 * gives the tracking number), a refund (1 call that changes the store), or where their latest
 * order is, knowing only their email (3 calls: customer → order → parcel).
 */
export type TaskKind = 'status' | 'track' | 'refund' | 'latest';

/** One line of `data/train.jsonl` or `data/dev.jsonl`. */
export type Task = {
  /** The customer's message: the program's only input. */
  readonly message: string;
  readonly kind: TaskKind;
  /**
   * The outcome a correct agent states (a label of the same name as the signature's output): the
   * order's status, the parcel's status, or `refunded` when it opened the refund asked for.
   */
  readonly outcome: string;
  /** The order a refund must be opened for; '' when none may be opened. */
  readonly refundOrder: string;
};

/** Reads `data/<split>.jsonl` as examples whose input is `message`. */
export function loadTasks(split: 'train' | 'dev'): Example<Task>[] {
  return readFileSync(new URL(`../data/${split}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => new Example(JSON.parse(line) as Task).withInputs('message'));
}
