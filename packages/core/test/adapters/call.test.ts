import { afterEach, describe, expect, it } from 'vitest';
import { ChatAdapter, JSONAdapter } from '../../src/adapters/index.js';
import type { CallbackEventName } from '../../src/callbacks.js';
import { DspyError } from '../../src/errors.js';
import { resetSettings, withSettings } from '../../src/settings.js';
import { qa, rich, richCompletion, richOutputs, scriptedLM } from './helpers.js';

const inputs = { question: 'What is the capital of France?' };
const good = '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]';

afterEach(() => resetSettings());

describe('adapter.call', () => {
  it('formats, calls the LM once and parses the completion', async () => {
    const lm = scriptedLM([good]);
    const result = await new ChatAdapter().call(qa, { lm, inputs, request: { temperature: 0.3 } });
    expect(result.outputs).toEqual([{ answer: 'Paris' }]);
    expect(result.adapter).toBe('ChatAdapter');
    expect(lm.requests).toHaveLength(1);
    expect(lm.requests[0]?.temperature).toBe(0.3);
    expect(lm.requests[0]?.messages).toEqual(result.messages);
    expect(lm.requests[0]?.responseFormat).toBeUndefined();
  });

  it('parses every completion when n > 1', async () => {
    const lm = scriptedLM([[good, good.replace('Paris', 'Lyon')]]);
    const result = await new ChatAdapter().call(qa, { lm, inputs, request: { n: 2 } });
    expect(result.outputs).toEqual([{ answer: 'Paris' }, { answer: 'Lyon' }]);
  });

  it('retries once through the JSON adapter on a parse error', async () => {
    const lm = scriptedLM(['I think it is Paris.', '{"answer": "Paris"}']);
    const result = await new ChatAdapter().call(qa, { lm, inputs });
    expect(result.outputs).toEqual([{ answer: 'Paris' }]);
    expect(result.adapter).toBe('JSONAdapter');
    expect(result.responses?.map((r) => r.text)).toEqual(['I think it is Paris.', '{"answer": "Paris"}']);
    expect(lm.requests).toHaveLength(2);
    expect(lm.requests[1]?.responseFormat).toEqual({ type: 'json_object' });
    expect(lm.requests[1]?.messages[0]?.content).toContain('Outputs will be a JSON object');
  });

  it('retries through JSON on an empty completion too, with strict json_schema when supported', async () => {
    const lm = scriptedLM(['', JSON.stringify(richOutputs)], { structured: true });
    const result = await new ChatAdapter().call(rich, { lm, inputs: { ticket: 't', tags: [] } });
    expect(result.outputs).toEqual([richOutputs]);
    expect(lm.requests[1]?.responseFormat).toMatchObject({ type: 'json_schema', strict: true });
  });

  it('makes only one retry and reports both attempts when JSON fails too', async () => {
    const lm = scriptedLM(['no markers', 'no json either', good]);
    const err = await new ChatAdapter().call(qa, { lm, inputs }).catch((e: unknown) => e);
    expect(lm.requests).toHaveLength(2);
    expect(err).toBeInstanceOf(DspyError);
    const e = err as DspyError;
    expect(e.code).toBe('ADAPTER_PARSE');
    expect(e.details.adapter).toBe('JSONAdapter');
    expect(e.details.raw).toBe('no json either');
    expect((e.details.firstAttempt as { raw: string; adapter: string }).raw).toBe('no markers');
    expect((e.details.firstAttempt as { raw: string; adapter: string }).adapter).toBe('ChatAdapter');
    expect(e.message).toContain('Before that: ChatAdapter could not parse');
  });

  it('does not fall back when fallback is false', async () => {
    const lm = scriptedLM(['no markers', good]);
    const err = await new ChatAdapter({ fallback: false }).call(qa, { lm, inputs }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ADAPTER_PARSE',
      details: { adapter: 'ChatAdapter', raw: 'no markers' },
    });
    expect(lm.requests).toHaveLength(1);
  });

  it('never falls back on an LM transport error', async () => {
    const transport = new DspyError('LM_RATE_LIMIT', 'rate limited');
    const lm = scriptedLM([transport, '{"answer": "Paris"}']);
    await expect(new ChatAdapter().call(qa, { lm, inputs })).rejects.toBe(transport);
    expect(lm.requests).toHaveLength(1);
    const lm2 = scriptedLM([new Error('socket hang up')]);
    await expect(new ChatAdapter().call(qa, { lm: lm2, inputs })).rejects.toMatchObject({
      code: 'LM_SERVER',
    });
  });

  it('propagates a transport error of the fallback call as it is', async () => {
    const transport = new DspyError('LM_TIMEOUT', 'timed out');
    const lm = scriptedLM(['no markers', transport]);
    await expect(new ChatAdapter().call(qa, { lm, inputs })).rejects.toBe(transport);
  });

  it('accepts a custom fallback adapter', async () => {
    const lm = scriptedLM(['garbage', good]);
    const result = await new ChatAdapter({ fallback: new ChatAdapter({ fallback: false }) }).call(qa, {
      lm,
      inputs,
    });
    expect(result.outputs).toEqual([{ answer: 'Paris' }]);
    expect(lm.requests).toHaveLength(2);
  });

  it('JSONAdapter.call sends its response format and does not fall back', async () => {
    const lm = scriptedLM(['not json', '{"answer":"x"}']);
    await expect(new JSONAdapter().call(qa, { lm, inputs })).rejects.toMatchObject({ code: 'ADAPTER_PARSE' });
    expect(lm.requests).toHaveLength(1);
    expect(lm.requests[0]?.responseFormat).toEqual({ type: 'json_object' });
  });

  it('lets an explicit request responseFormat win over the adapter', async () => {
    const lm = scriptedLM(['{"answer":"x"}']);
    await new JSONAdapter().call(qa, { lm, inputs, request: { responseFormat: { type: 'text' } } });
    expect(lm.requests[0]?.responseFormat).toEqual({ type: 'text' });
  });

  it('emits format and parse callbacks, with errors on parse failure', async () => {
    const events: [CallbackEventName, Record<string, unknown>][] = [];
    const lm = scriptedLM(['no markers', '{"answer": "Paris"}']);
    await withSettings({ callbacks: [{ onEvent: (name, e) => events.push([name, e as never]) }] }, () =>
      new ChatAdapter().call(qa, { lm, inputs }),
    );
    const adapterEvents = events.filter(([n]) => n.startsWith('format') || n.startsWith('parse'));
    expect(adapterEvents.map(([n, e]) => `${n}:${e.adapter}`)).toEqual([
      'formatStart:ChatAdapter',
      'formatEnd:ChatAdapter',
      'parseStart:ChatAdapter',
      'parseEnd:ChatAdapter',
      'formatStart:JSONAdapter',
      'formatEnd:JSONAdapter',
      'parseStart:JSONAdapter',
      'parseEnd:JSONAdapter',
    ]);
    const [, failedParse] = adapterEvents[3] ?? [];
    expect(failedParse?.error).toBeInstanceOf(DspyError);
    expect(adapterEvents[2]?.[1].completion).toBe('no markers');
    expect(adapterEvents[7]?.[1].outputs).toEqual({ answer: 'Paris' });
    expect(adapterEvents[0]?.[1].callId).toBe(adapterEvents[1]?.[1].callId);
    expect(events.some(([n]) => n === 'lmStart')).toBe(true);
  });

  it('parses a rich completion end to end', async () => {
    const lm = scriptedLM([richCompletion]);
    const result = await new ChatAdapter().call(rich, { lm, inputs: { ticket: 't', tags: ['a'] } });
    expect(result.outputs[0]).toEqual(richOutputs);
  });
});

describe('JSONAdapter structured-output downgrade', () => {
  it('retries once in JSON mode when the provider rejects json_schema with a 400', async () => {
    const rejected = new DspyError(
      'LM_BAD_REQUEST',
      "LM x: Invalid parameter: 'response_format' of type 'json_schema' is not supported",
    );
    const lm = scriptedLM([rejected, '{"answer": "Paris"}'], { structured: true });
    const result = await withSettings({ logger: { debug() {}, info() {}, warn() {} } }, () =>
      new JSONAdapter().call(qa, { lm, inputs }),
    );
    expect(result.outputs).toEqual([{ answer: 'Paris' }]);
    expect(lm.requests.map((r) => r.responseFormat?.type)).toEqual(['json_schema', 'json_object']);
  });

  it('does not retry other 400s or JSON-mode requests', async () => {
    const other = new DspyError('LM_BAD_REQUEST', 'LM x: temperature must be <= 2');
    const lm = scriptedLM([other, '{"answer": "Paris"}'], { structured: true });
    await expect(new JSONAdapter().call(qa, { lm, inputs })).rejects.toBe(other);
    const modeless = new DspyError('LM_BAD_REQUEST', 'response_format json_object not supported');
    const lm2 = scriptedLM([modeless, '{"answer": "Paris"}']);
    await expect(new JSONAdapter().call(qa, { lm: lm2, inputs })).rejects.toBe(modeless);
    expect(lm.requests).toHaveLength(1);
    expect(lm2.requests).toHaveLength(1);
  });
});
