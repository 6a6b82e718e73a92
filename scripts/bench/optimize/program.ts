/**
 * The program and data of the optimizer benchmarks: the Banking77 student, its metric, the
 * seeded splits and an `LM` wrapper that forwards rollout ids to the test server's OfflineLM.
 */
import { readFile } from 'node:fs/promises';
import {
  Example,
  type LanguageModel,
  type LM,
  type LMRequest,
  type LMResponse,
  type Metric,
  Predict,
} from '../../../packages/core/src/index.js';

/** A split of data/ as examples with `text` as input. */
export async function load(name: string) {
  const text = await readFile(new URL(`./data/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => new Example(JSON.parse(line) as { text: string; label: string }).withInputs('text'));
}

/** `LM` that also sends a request's rollout id in the body, where the test server's OfflineLM reads it. */
export class RolloutLM implements LanguageModel {
  readonly model: string;
  constructor(private readonly lm: LM) {
    this.model = lm.model;
  }
  call(request: LMRequest): Promise<LMResponse> {
    if (request.rolloutId === undefined) return this.lm.call(request);
    return this.lm.call({ ...request, extra: { ...request.extra, rollout_id: request.rolloutId } });
  }
  settings(): Readonly<Record<string, unknown>> {
    return this.lm.settings();
  }
}

/** The Banking77 signature: a literal union of the split's intents. */
export function student(intents: readonly string[]): Predict {
  return new Predict(`text -> label: ${intents.map((i) => `'${i}'`).join(' | ')}`);
}

/** Exact match of the label. */
export const labelMatches: Metric = (ex, pred) => pred.get('label') === ex.get('label');
