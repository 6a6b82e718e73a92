import type { EvaluationReport, Example, Metric, Prediction } from '@dspy-ts/core';

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

/** The four fields, in the order the figures show them. */
export const FIELDS = ['merchant', 'total', 'date', 'currency'] as const;

/** Per field, the share (%) of an evaluation's examples whose prediction got it right. */
export function fieldShares(
  report: EvaluationReport<Example, Prediction>,
): Record<(typeof FIELDS)[number], number> {
  const right = { merchant: 0, total: 0, date: 0, currency: 0 };
  for (const r of report.results) {
    if (!r.prediction) continue;
    const fields = fieldsRight(r.example, r.prediction);
    for (const f of FIELDS) if (fields[f]) right[f] += 1;
  }
  const n = Math.max(1, report.results.length);
  return {
    merchant: (100 * right.merchant) / n,
    total: (100 * right.total) / n,
    date: (100 * right.date) / n,
    currency: (100 * right.currency) / n,
  };
}

/** `merchant 10% · total 0% · date 0% · currency 20%`. */
export function fieldSharesText(shares: Record<(typeof FIELDS)[number], number>): string {
  return FIELDS.map((f) => `${f} ${shares[f].toFixed(0)}%`).join(' · ');
}
