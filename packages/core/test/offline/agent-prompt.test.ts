import { describe, expect, it } from 'vitest';
import { readToolCalls } from '../../src/internal.js';
import { OfflineLM } from '../../src/offline/index.js';
import {
  LOOKUP_STEP,
  nativePrompt,
  QUESTION,
  REFUND_TURN,
  TRACK_RUN,
  TRACK_STEP,
  textPrompt,
} from './agent-fixture.js';

const DEMOS = [REFUND_TURN, TRACK_RUN];

/** The calls of a text-mode answer's `toolCalls` block. */
function textCalls(text: string): { name: string; args: Readonly<Record<string, unknown>> }[] {
  const block = /\[\[ ## toolCalls ## \]\]\n(.*)\n/.exec(text)?.[1] ?? 'null';
  const read = readToolCalls(JSON.parse(block));
  if (!read.ok) throw new Error(read.reason);
  return read.value.calls.map((c) => ({ name: c.name, args: c.args }));
}

describe('OfflineLM as a tool-calling agent (prompts in the design formats)', () => {
  it('native: imitates the nearest demo, carrying the order id from the message', async () => {
    const r = await new OfflineLM().call(nativePrompt(DEMOS, QUESTION, []));
    expect(r.finishReason).toBe('tool_calls');
    expect(r.toolCalls).toEqual([
      { id: 'offline_1_1', name: 'lookupOrder', arguments: { orderId: 'B-555' } },
    ]);
    expect(r.text).toContain('[[ ## nextThought ## ]]\nI will look up order B-555.');
  });

  it('native: carries the tracking number from the earlier result, then finishes when the demo did', async () => {
    const lm = new OfflineLM();
    const second = await lm.call(nativePrompt(DEMOS, QUESTION, [LOOKUP_STEP]));
    expect(second.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([
      ['trackParcel', { trackingNumber: '9Z123XY' }],
    ]);
    expect(second.toolCalls?.[0]?.id).toBe('offline_2_1');
    const third = await lm.call(nativePrompt(DEMOS, QUESTION, [LOOKUP_STEP, TRACK_STEP]));
    expect(third.toolCalls?.map((c) => c.name)).toEqual(['finish']);
    expect(third.text).toContain('The parcel is in Memphis, TN.');
  });

  it('native: a demo turn that calls nothing gives an answer without calls', async () => {
    const done = { ...TRACK_RUN, calls: [] };
    const r = await new OfflineLM().call(nativePrompt([done], QUESTION, [LOOKUP_STEP, TRACK_STEP]));
    expect(r.toolCalls).toBeUndefined();
    expect(r.finishReason).toBe('stop');
  });

  it('text: the same policy, written as the ToolCalls field', async () => {
    const lm = new OfflineLM();
    const first = lm.complete(textPrompt(DEMOS, QUESTION, []))[0]!;
    expect(textCalls(first)).toEqual([{ name: 'lookupOrder', args: { orderId: 'B-555' } }]);
    const second = lm.complete(textPrompt(DEMOS, QUESTION, [LOOKUP_STEP]))[0]!;
    expect(textCalls(second)).toEqual([{ name: 'trackParcel', args: { trackingNumber: '9Z123XY' } }]);
    expect(second).toContain('I will track parcel 9Z123XY.');
    const third = lm.complete(textPrompt(DEMOS, QUESTION, [LOOKUP_STEP, TRACK_STEP]))[0]!;
    expect(textCalls(third)).toEqual([{ name: 'finish', args: {} }]);
  });

  it('picks the refund demo for a refund request, carrying the id and the constant reason', async () => {
    const r = await new OfflineLM().call(
      nativePrompt(DEMOS, 'The lamp of order C-9 arrived broken, I want a refund.', []),
    );
    expect(r.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([
      ['openRefund', { orderId: 'C-9', reason: 'damaged' }],
    ]);
  });

  it('without demos: a weak guess (the overlapping tool once, then finish)', async () => {
    const lm = new OfflineLM();
    const first = await lm.call(nativePrompt([], QUESTION, []));
    expect(first.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([
      ['lookupOrder', { orderId: 'B-555' }],
    ]);
    const second = await lm.call(nativePrompt([], QUESTION, [LOOKUP_STEP]));
    expect(second.toolCalls?.map((c) => c.name)).toEqual(['finish']);
    const text = lm.complete(textPrompt([], 'Refund please, it arrived broken', []))[0]!;
    expect(textCalls(text).map((c) => c.name)).toEqual(['openRefund']);
  });

  it('follows the tool choice of a native request', async () => {
    const lm = new OfflineLM();
    const none = await lm.call({ ...nativePrompt(DEMOS, QUESTION, []), toolChoice: 'none' });
    expect([none.toolCalls, none.finishReason]).toEqual([undefined, 'stop']);
    const named = await lm.call({ ...nativePrompt(DEMOS, QUESTION, []), toolChoice: { name: 'openRefund' } });
    expect(named.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([
      ['openRefund', { orderId: 'B-555', reason: 'never' }],
    ]);
    const done = { ...TRACK_RUN, calls: [] };
    const steps = [LOOKUP_STEP, TRACK_STEP];
    const required = await lm.call({ ...nativePrompt([done], QUESTION, steps), toolChoice: 'required' });
    expect(required.toolCalls?.map((c) => c.name)).toEqual(['finish']);
  });

  it('is deterministic: the same messages get the same answer', async () => {
    const request = nativePrompt(DEMOS, QUESTION, [LOOKUP_STEP]);
    const a = await new OfflineLM().call(request);
    const b = await new OfflineLM().call(structuredClone(request));
    expect(b.text).toBe(a.text);
    expect(b.toolCalls).toEqual(a.toolCalls);
  });

  it('streams the thought; the last chunk carries the tool calls', async () => {
    const chunks = [];
    for await (const c of new OfflineLM({ chunkChars: 5 }).stream(nativePrompt(DEMOS, QUESTION, [])))
      chunks.push(c);
    const last = chunks.at(-1);
    expect(last?.response?.toolCalls?.map((c) => c.name)).toEqual(['lookupOrder']);
    expect(last?.response?.finishReason).toBe('tool_calls');
    expect(chunks.map((c) => c.delta).join('')).toBe(last?.response?.text);
  });

  it('supportsToolCalls is true by default and can be turned off', () => {
    expect(new OfflineLM().supportsToolCalls).toBe(true);
    expect(new OfflineLM({ supportsToolCalls: false }).supportsToolCalls).toBe(false);
  });

  it('never throws on a malformed tool prompt', async () => {
    const request = textPrompt(DEMOS, QUESTION, [LOOKUP_STEP]);
    const broken = request.messages.map((m) =>
      m.role === 'user' ? { ...m, content: m.content.replace(/\[\{/g, '[{{') } : m,
    );
    const r = await new OfflineLM().call({ messages: broken });
    expect(r.text).toContain('[[ ## toolCalls ## ]]');
  });
});

describe('OfflineLM reading tool prompts stays total', () => {
  it('answers every prefix and every one-message-less variant of a tool prompt without throwing', async () => {
    const lm = new OfflineLM();
    for (const build of [nativePrompt, textPrompt]) {
      const full = build(DEMOS, QUESTION, [LOOKUP_STEP, TRACK_STEP]);
      const variants = full.messages.flatMap((_, i) => [
        full.messages.slice(0, i + 1),
        full.messages.filter((__, j) => j !== i),
      ]);
      for (const messages of variants) {
        const r = await lm.call({ ...full, messages });
        expect(typeof r.text).toBe('string');
      }
    }
    const odd = await lm.call({
      messages: [{ role: 'tool', toolCallId: 'x', content: '{' }],
      tools: [
        {
          name: 'f',
          description: '',
          parameters: { type: 'object', properties: { n: { type: 'integer' } } },
        },
      ],
    });
    expect(odd.toolCalls?.map((c) => [c.name, c.arguments])).toEqual([['f', { n: 0 }]]);
  });
});
