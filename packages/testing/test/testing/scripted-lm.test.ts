import { describe, expect, it } from 'vitest';
import { ScriptedLM } from '../../src/index.js';
import { classifyPrompt, qaSystem, qaUser } from './prompts.js';

const qa = (q: string) => [
  { role: 'system' as const, content: qaSystem },
  { role: 'user' as const, content: qaUser(q) },
];

describe('ScriptedLM', () => {
  it('serves a list in order in the chat format, then fails clearly when exhausted', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }, { answer: 'Rome' }]);
    expect((await lm.call({ messages: qa('France?') })).text).toBe(
      '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]',
    );
    expect((await lm.call({ messages: qa('Italy?') })).text).toContain('Rome');
    await expect(lm.call({ messages: qa('Spain?') })).rejects.toMatchObject({
      code: 'LM_CONFIG',
      message: expect.stringMatching(/ran out of answers[\s\S]*How to fix: Give at least 3 answers/),
    });
    expect(lm.callCount).toBe(3);
    expect(lm.requests[1]?.messages[1]?.content).toContain('Italy?');
  });

  it('renders non-strings as JSON in the prompt output order, and JSON when asked', async () => {
    const msgs = classifyPrompt(['a', 'b'], ['x'], [], 'hi');
    const lm = new ScriptedLM([
      { confidence: 0.5, label: 'a', extra: [1] },
      { label: 'b', confidence: 1 },
    ]);
    expect((await lm.call({ messages: msgs })).text).toBe(
      '[[ ## label ## ]]\na\n\n[[ ## confidence ## ]]\n0.5\n\n[[ ## extra ## ]]\n[1]\n\n[[ ## completed ## ]]',
    );
    const json = await lm.call({ messages: msgs, responseFormat: { type: 'json_object' } });
    expect(JSON.parse(json.text)).toEqual({ label: 'b', confidence: 1 });
    expect(Object.keys(JSON.parse(json.text))).toEqual(['label', 'confidence']);
  });

  it('answers from a map by substring of the last user message, or a function', async () => {
    const lm = new ScriptedLM(
      new Map([
        ['France', { answer: 'Paris' }],
        ['Italy', { answer: 'Rome' }],
      ]),
    );
    expect((await lm.call({ messages: qa('Italy?') })).text).toContain('Rome');
    await expect(lm.call({ messages: qa('Peru?') })).rejects.toThrow(/"France", "Italy"/);
    const rec = new ScriptedLM({ France: { answer: 'Paris' } });
    expect((await rec.call({ messages: qa('France!') })).text).toContain('Paris');
    const fn = new ScriptedLM((req, i) => (i === 0 ? { answer: `n=${req.n}` } : 'raw text'));
    expect((await fn.call({ messages: qa('x'), n: 2 })).choices).toHaveLength(2);
    expect((await fn.call({ messages: qa('x') })).text).toBe('raw text');
  });

  it('supports n by repeating or by taking next answers, with a chars/4 usage', async () => {
    const rep = new ScriptedLM([{ answer: 'A' }, { answer: 'B' }]);
    const r = await rep.call({ messages: qa('q'), n: 2 });
    expect(r.choices).toEqual([r.text, r.text]);
    const next = new ScriptedLM([{ answer: 'A' }, { answer: 'B' }], { nMode: 'next' });
    const r2 = await next.call({ messages: qa('q'), n: 2 });
    expect(r2.choices.map((c) => c.split('\n')[1])).toEqual(['A', 'B']);
    const chars = qaSystem.length + qaUser('q').length;
    expect(r2.usage.promptTokens).toBe(Math.ceil(chars / 4));
    expect(r2.usage.totalTokens).toBe(r2.usage.promptTokens + r2.usage.completionTokens);
    expect(r2.cacheHit).toBe(false);
  });

  it('streams the rendered text in small chunks', async () => {
    const lm = new ScriptedLM([{ answer: 'Paris' }], { chunkChars: 5 });
    const parts: string[] = [];
    for await (const c of lm.stream({ messages: qa('q') })) parts.push(c.delta);
    expect(parts.join('')).toBe('[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]');
    expect(parts.length).toBeGreaterThan(5);
  });

  it('follows examples in the prompt when the inputs match a demo', async () => {
    const lm = new ScriptedLM([], { followExamples: true });
    const msgs = classifyPrompt(['a', 'b'], ['x'], [{ text: 'hello', label: 'b' }], 'hello');
    const r = await lm.call({ messages: msgs, responseFormat: { type: 'json_object' } });
    expect(JSON.parse(r.text)).toEqual({ label: 'b', confidence: 0.9 });
    await expect(lm.call({ messages: classifyPrompt(['a'], ['x'], [], 'other') })).rejects.toThrow(/ran out/);
  });
});
