import { describe, expect, it } from 'vitest';
import { ChainOfThought, ChatAdapter, JSONAdapter, Predict } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';

const trajectory = (order: string, tracking: string, location: string) =>
  [
    `[1] lookupOrder({"orderId":"${order}"}) -> {"orderId":"${order}","status":"shipped","trackingNumber":"${tracking}"}`,
    `[2] trackParcel({"trackingNumber":"${tracking}"}) -> {"location":"${location}","eta":"2 days"}`,
  ].join('\n');

const DEMOS = [
  {
    question: 'Where is the parcel of order A-10234?',
    trajectory: trajectory('A-10234', '1Z999AA1', 'Memphis, TN'),
    answer: 'Memphis, TN',
  },
  {
    question: 'What is the tracking number of order A-777?',
    trajectory: trajectory('A-777', '1Z555BB2', 'Dayton, OH'),
    answer: '1Z555BB2',
  },
];

describe('OfflineLM copies a demo answer from the same place of the current context', () => {
  for (const adapter of [new ChatAdapter({ fallback: false }), new JSONAdapter()]) {
    it(`${adapter.name}: an extract step takes the value under the same key of this trajectory`, async () => {
      const lm = new OfflineLM();
      const extract = new ChainOfThought('question, trajectory: string -> answer', {
        lm,
        adapter,
        demos: DEMOS,
      });
      const where = await extract.forward({
        question: 'Where is the parcel of order B-555 now?',
        trajectory: trajectory('B-555', '9Z123XY', 'Reno, NV'),
      });
      expect(where.answer).toBe('Reno, NV');
      const tracking = await extract.forward({
        question: 'What is the tracking number of order C-12?',
        trajectory: trajectory('C-12', '4X000ZZ9', 'Austin, TX'),
      });
      expect(tracking.answer).toBe('4X000ZZ9');
    });
  }

  it('a number the demo read from its input is read from the same place of this one', async () => {
    const qa = new Predict('report: string -> total: number', {
      lm: new OfflineLM(),
      demos: [{ report: 'Order A-1: items 3, total 42 dollars', total: 42 }],
    });
    const r = await qa.forward({ report: 'Order B-2: items 5, total 17 dollars' });
    expect(r.total).toBe(17);
  });

  it('a value not found in the demo inputs is copied as before', async () => {
    const qa = new Predict('question -> answer', {
      lm: new OfflineLM(),
      demos: [{ question: 'What is the capital of France?', answer: 'Paris' }],
    });
    const r = await qa.forward({ question: 'Tell me the capital of France' });
    expect(r.answer).toBe('Paris');
  });
});
