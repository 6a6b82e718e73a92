import { describe, expect, it } from 'vitest';
import { ChatAdapter, JSONAdapter, ReAct, streamify } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';
import { callsOf, extractDemo, refundDemo, supportTools, trackDemo } from './support-desk.js';

const QUESTION = 'My order B-555 never came, where is the parcel?';

function agent(lm: OfflineLM, adapter: ChatAdapter | JSONAdapter, withDemos: boolean) {
  const a = new ReAct('question -> answer', { tools: supportTools, lm, adapter });
  if (withDemos) {
    a.react.demos = [refundDemo, trackDemo];
    a.extract.predict.demos = [extractDemo];
  }
  return a;
}

describe('OfflineLM runs a ReAct agent through the real adapters', () => {
  const modes = [
    { mode: 'native', lm: () => new OfflineLM() },
    { mode: 'text', lm: () => new OfflineLM({ supportsToolCalls: false }) },
  ];
  for (const { mode, lm } of modes) {
    for (const adapter of [new ChatAdapter({ fallback: false }), new JSONAdapter()]) {
      it(`${mode}, ${adapter.name}: imitates the demo run with this order's id and this parcel's number`, async () => {
        const model = lm();
        const withTools: boolean[] = [];
        const call = model.call.bind(model);
        model.call = (request) => {
          withTools.push((request.tools?.length ?? 0) > 0);
          return call(request);
        };
        const pred = await agent(model, adapter, true).forward({ question: QUESTION });
        // three agent turns, then the extract step (which offers no tools)
        expect(withTools).toEqual(
          mode === 'native' ? [true, true, true, false] : [false, false, false, false],
        );
        expect(callsOf(pred.trajectory)).toEqual([
          ['lookupOrder', { orderId: 'B-555' }],
          ['trackParcel', { trackingNumber: '9Z123XY' }],
          ['finish', {}],
        ]);
        expect(pred.trajectory.messages.every((s) => s.results.every((r) => r.ok))).toBe(true);
        expect(pred.answer).toBe('Reno, NV');
      });
    }
  }

  it('the nearest demo decides the tool: a refund request opens a refund for its own order', async () => {
    const pred = await agent(new OfflineLM(), new ChatAdapter(), true).forward({
      question: 'The lamp of order C-9 arrived broken, I want a refund.',
    });
    expect(callsOf(pred.trajectory)[0]).toEqual(['openRefund', { orderId: 'C-9', reason: 'damaged' }]);
  });

  it('streams a native run: each call as it starts, with the offline ids, then the prediction', async () => {
    const events = [];
    for await (const e of streamify(agent(new OfflineLM(), new ChatAdapter(), true))({ question: QUESTION }))
      events.push(e);
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [[e.call.id, e.call.name]] : []));
    expect(calls).toEqual([
      ['offline_1_1', 'lookupOrder'],
      ['offline_2_1', 'trackParcel'],
      ['offline_3_1', 'finish'],
    ]);
    const last = events.at(-1);
    expect(last?.type === 'prediction' ? last.prediction.get('answer') : undefined).toBe('Reno, NV');
  });

  it('is deterministic: two runs of the same program on the same input take the same steps', async () => {
    const run = async () =>
      (await agent(new OfflineLM(), new JSONAdapter(), true).forward({ question: QUESTION })).toJSON();
    expect(JSON.stringify(await run())).toBe(JSON.stringify(await run()));
  });

  it('without demos it guesses weakly: one overlapping tool, then finish', async () => {
    const pred = await agent(new OfflineLM(), new ChatAdapter(), false).forward({ question: QUESTION });
    expect(callsOf(pred.trajectory)).toEqual([
      ['lookupOrder', { orderId: 'B-555' }],
      ['finish', {}],
    ]);
  });
});
