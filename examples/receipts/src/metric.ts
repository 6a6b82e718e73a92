import type { Example, Metric, Prediction } from '@dspy-ts/core';

/** Upper case letters and digits only, so `Blue Heron Cafe` matches `BLUE HERON CAFE.`. */
const bare = (value: unknown) =>
  String(value ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');

/** Which of the four fields a prediction got right. */
export function fieldsRight(example: Example, prediction: Prediction): Record<string, boolean> {
  return {
    merchant: bare(prediction.get('merchant')) === bare(example.get('merchant')),
    total: Math.abs(Number(prediction.get('total')) - Number(example.get('total'))) < 0.005,
    date: prediction.get('date') === example.get('date'),
    currency: prediction.get('currency') === example.get('currency'),
  };
}

/** The share of the four fields (merchant, total, date, currency) read right: 0, 0.25, ..., 1. */
export const receiptMetric: Metric = (example, prediction) => {
  const right = Object.values(fieldsRight(example, prediction));
  return right.filter(Boolean).length / right.length;
};
