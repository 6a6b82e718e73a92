import {
  Example,
  evaluate,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  Module,
  Predict,
  type TraceEntry,
} from '@dspy-ts/core';
import { PredictBase } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';

const questions = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Example({ question: `q${i}`, answer: 'yes' }).withInputs('question'),
  );

describe('evaluate: traces for the metric', () => {
  it('passes each example’s own trace to the metric with trace: true, and undefined otherwise', async () => {
    const qa = new Predict('question -> answer', { lm: new ScriptedLM(() => ({ answer: 'yes' })) });
    const seen: (readonly TraceEntry[] | undefined)[] = [];
    const metric = (_ex: Example, _pred: unknown, trace?: readonly TraceEntry[]) => {
      seen.push(trace);
      return true;
    };
    await evaluate(qa, questions(3), metric, { progress: false, concurrency: 3, trace: true });
    expect(seen).toHaveLength(3);
    for (const trace of seen) {
      expect(trace).toHaveLength(1);
      expect(trace?.[0]?.predictor).toBe(qa);
      expect(trace?.[0]?.outputs).toEqual({ answer: 'yes' });
    }
    const asked = seen.map((t) => t?.[0]?.inputs.question).sort();
    expect(asked).toEqual(['q0', 'q1', 'q2']);

    seen.length = 0;
    await evaluate(qa, questions(2), metric, { progress: false });
    expect(seen).toEqual([undefined, undefined]);
  });
});

/** Answers the first request at once; every later one waits until its signal aborts. */
class HangingLM implements LanguageModel {
  readonly model = 'hanging';
  readonly signals: (AbortSignal | undefined)[] = [];
  cancelled = 0;

  async call(request: LMRequest): Promise<LMResponse> {
    this.signals.push(request.signal);
    if (this.signals.length > 1) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 5_000);
        request.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          this.cancelled += 1;
          reject(new Error('aborted'));
        });
      });
    }
    const text = '[[ ## answer ## ]]\nyes\n\n[[ ## completed ## ]]';
    return {
      text,
      choices: [text],
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
      model: this.model,
      finishReason: 'stop',
      cacheHit: false,
    };
  }
}

describe('evaluate: stopping cancels the LM calls in flight', () => {
  // A predictor gets the run's signal as a call option; any other program through the run
  // context. Either way every call in flight sees the same signal and is cancelled.
  type QA = PredictBase<{ question: string }, { answer: string }>;
  const programs = {
    'a predictor': (qa: QA) => qa,
    'a plain object calling one': (qa: QA) => ({
      forward: async (inputs: { question: string }) => {
        await Promise.resolve();
        return qa.forward(inputs);
      },
    }),
    'a module holding one': (qa: QA) =>
      new (class Wrapper extends Module {
        readonly qa = qa;
        override async forward(inputs: { question: string }) {
          await Promise.resolve();
          return this.qa.forward(inputs);
        }
      })(),
    'a predictor subclass with its own forward': (qa: QA) =>
      new (class Own extends PredictBase<{ question: string }, { answer: string }> {
        override forward(inputs: { question: string }) {
          return qa.forward(inputs);
        }
      })('question -> answer'),
  };

  it.each(Object.entries(programs))(
    'aborts the signal of every pending LM request when the run is aborted (%s)',
    async (_kind, make) => {
      const lm = new HangingLM();
      const qa: QA = new Predict('question -> answer', { lm });
      const stop = new AbortController();
      const report = await evaluate(
        make(qa),
        questions(4),
        (_ex, pred) => {
          setTimeout(() => stop.abort(), 5);
          return pred.answer === 'yes';
        },
        { progress: false, concurrency: 4, signal: stop.signal },
      );
      expect(report.interrupted).toBe(true);
      expect(report.results).toHaveLength(1);
      expect(lm.signals).toHaveLength(4);
      expect(lm.signals.every((s) => s instanceof AbortSignal)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(lm.cancelled).toBe(3);
      // The run's one signal reaches every call; stopping fires it for the pending ones.
      expect(new Set(lm.signals).size).toBe(1);
      expect(lm.signals.map((s) => s?.aborted)).toEqual([true, true, true, true]);
      expect(lm.signals[1]?.reason).toMatchObject({ code: 'LM_ABORTED' });
    },
  );

  it('lets a per-call signal win over the run’s', async () => {
    const lm = new ScriptedLM(() => ({ answer: 'yes' }));
    const qa = new Predict('question -> answer', { lm });
    const own = new AbortController();
    const program = { forward: (inputs: { question: string }) => qa.forward(inputs, { signal: own.signal }) };
    await evaluate(program, questions(1), () => 1, { progress: false });
    expect(lm.requests[0]?.signal).toBe(own.signal);
  });
});
