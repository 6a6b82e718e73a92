import type { Rule } from './rules.js';
import { contentWords } from './tokens.js';

/** One example shown to the proposer (`taskDemos` entries). */
export interface MinedExample {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly feedback?: string;
  readonly predicted?: Readonly<Record<string, unknown>>;
}

/** Thresholds of one mining pass. */
export interface MiningParams {
  /** Least number of examples with both the token and the label. */
  readonly minSupport: number;
  /** Least share of the token's examples that carry the label (0..1). */
  readonly minPrecision: number;
  /** Most rules per label. */
  readonly perLabel: number;
  /** Most rules in all. */
  readonly maxRules: number;
}

/** A mined rule with its statistics. */
export interface MinedRule extends Rule {
  readonly support: number;
  readonly precision: number;
}

const isLabel = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 60 && v.trim().split(/\s+/).length <= 5;

/** The output field that looks like a label: short strings, some value repeated (first such key). */
export function labelField(examples: readonly MinedExample[]): string | undefined {
  const keys = [...new Set(examples.flatMap((e) => Object.keys(e.outputs)))];
  return keys.find((k) => {
    const values = examples.map((e) => e.outputs[k]).filter((v) => v !== undefined);
    if (values.length === 0 || !values.every(isLabel)) return false;
    return new Set(values).size < values.length || values.length < 3;
  });
}

function inputTokens(e: MinedExample): Set<string> {
  const keys = new Set<string>();
  for (const [field, v] of Object.entries(e.inputs)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    for (const w of contentWords(text)) if (w.length >= 3 && !/^\d+$/.test(w)) keys.add(`${field}\u0000${w}`);
  }
  return keys;
}

/**
 * Mines `If the <field> mentions "<token>", answer "<label>".` rules: for each (token, label),
 * support = examples with both, precision = support / examples with the token. Keeps pairs with
 * support >= minSupport and precision >= minPrecision, the best `perLabel` per label, ordered by
 * precision, then support, then longer token, then label and token alphabetically.
 */
export function mineRules(examples: readonly MinedExample[], label: string, p: MiningParams): MinedRule[] {
  const tokenCount = new Map<string, number>();
  const pairCount = new Map<string, Map<string, number>>();
  for (const e of examples) {
    const value = e.outputs[label];
    if (!isLabel(value)) continue;
    for (const key of inputTokens(e)) {
      tokenCount.set(key, (tokenCount.get(key) ?? 0) + 1);
      const byLabel = pairCount.get(key) ?? new Map<string, number>();
      pairCount.set(key, byLabel);
      byLabel.set(value, (byLabel.get(value) ?? 0) + 1);
    }
  }
  const candidates: MinedRule[] = [];
  for (const [key, byLabel] of pairCount) {
    const total = tokenCount.get(key)!;
    const [input, token] = key.split('\u0000') as [string, string];
    for (const [value, support] of byLabel) {
      const precision = support / total;
      if (support >= p.minSupport && precision >= p.minPrecision)
        candidates.push({ input, token, value, support, precision });
    }
  }
  const order = (a: MinedRule, b: MinedRule) =>
    b.precision - a.precision ||
    b.support - a.support ||
    b.token.length - a.token.length ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
    (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);
  candidates.sort(order);
  const perLabel = new Map<string, number>();
  const kept: MinedRule[] = [];
  for (const c of candidates) {
    const n = perLabel.get(c.value) ?? 0;
    if (n >= p.perLabel) continue;
    perLabel.set(c.value, n + 1);
    kept.push(c);
    if (kept.length >= p.maxRules) break;
  }
  return kept;
}
