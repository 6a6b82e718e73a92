import { describe, expect, it } from 'vitest';
import { Example } from '../../src/data/example.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { LanguageModel, LMRequest, LMResponse } from '../../src/lm/types.js';
import { runContext } from '../../src/modules/context.js';
import { Predict } from '../../src/modules/predict.js';
import { response } from '../adapters/helpers.js';

/** Records, per call, the request's signal and whether a run context was in force. */
class RecordingLM implements LanguageModel {
  readonly model = 'recording';
  readonly seen: { signal?: AbortSignal; context: boolean }[] = [];

  async call(request: LMRequest): Promise<LMResponse> {
    this.seen.push({ signal: request.signal, context: runContext.getStore() !== undefined });
    return response('[[ ## answer ## ]]\nyes\n\n[[ ## completed ## ]]');
  }
}

const devset = [new Example({ question: 'q', answer: 'yes' }).withInputs('question')];

describe('evaluate: how the run signal reaches the LM', () => {
  it('hands a predictor the signal as a call option, without a run context', async () => {
    const lm = new RecordingLM();
    await evaluate(new Predict('question -> answer', { lm }), devset, () => 1, { progress: false });
    expect(lm.seen).toHaveLength(1);
    expect(lm.seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(lm.seen[0]?.context).toBe(false);
  });

  it('gives any other program a run context that carries the signal', async () => {
    const lm = new RecordingLM();
    const qa = new Predict('question -> answer', { lm });
    const program = { forward: (inputs: { question: string }) => qa.forward(inputs) };
    await evaluate(program, devset, () => 1, { progress: false });
    expect(lm.seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(lm.seen[0]?.context).toBe(true);
  });

  it('keeps the run context when the metric wants traces', async () => {
    const lm = new RecordingLM();
    await evaluate(new Predict('question -> answer', { lm }), devset, () => 1, {
      progress: false,
      trace: true,
    });
    expect(lm.seen[0]?.context).toBe(true);
  });
});
