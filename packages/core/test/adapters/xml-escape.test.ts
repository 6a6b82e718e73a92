import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, it } from 'vitest';
import { escapeXml, unescapeXml } from '../../src/adapters/xml-escape.js';
import { Predict, signature, XMLAdapter } from '../../src/index.js';

const TRICKY = [
  'a < b && c > d',
  'The tag </answer> closes answers.',
  '<answer>nested</answer>',
  'already &lt;escaped&gt; &amp; &#60; text',
  'AT&T; 5 &lt 6',
  '',
];

describe('XML value escaping', () => {
  it('escapeXml then unescapeXml gives back every value exactly', () => {
    for (const value of TRICKY) expect(unescapeXml(escapeXml(value))).toBe(value);
    expect(escapeXml('a < b & c')).toBe('a &lt; b &amp; c');
  });

  it('text a model wrote without escaping reads as it is', () => {
    expect(unescapeXml('if a < b && ok')).toBe('if a < b && ok');
    expect(unescapeXml('&#x1F600; &#65;')).toBe('😀 A');
  });

  it('format escapes inputs and demo outputs, so no value opens or closes an element', () => {
    const spec = signature('question -> answer');
    const messages = new XMLAdapter().format(spec, {
      demos: [{ question: 'What closes it?', answer: 'The tag </answer> does.' }],
      inputs: { question: 'Is 1 < 2 && 3 > 2?' },
    });
    expect(messages[2]?.content).toBe('<answer>\nThe tag &lt;/answer&gt; does.\n</answer>');
    expect(messages.at(-1)?.content).toContain('<question>\nIs 1 &lt; 2 &amp;&amp; 3 &gt; 2?\n</question>');
  });

  it('round trip: every tricky value given by the model comes back unchanged through parse', async () => {
    for (const value of TRICKY.filter((v) => v !== '')) {
      const lm = new ScriptedLM([{ answer: value }]);
      const qa = new Predict('question -> answer', { lm, adapter: new XMLAdapter({ fallback: false }) });
      const pred = await qa.forward({ question: 'q' });
      expect(lm.completions[0]).toBe(`<answer>\n${escapeXml(value)}\n</answer>`);
      expect(pred.answer).toBe(value);
    }
  });

  it('JSON values inside elements round-trip too', async () => {
    const data = ['x < y & y > z', '</items>'];
    const lm = new ScriptedLM([{ items: data }]);
    const spec = signature('question -> items: string[]');
    const pred = await new Predict(spec, { lm, adapter: new XMLAdapter({ fallback: false }) }).forward({
      question: 'q',
    });
    expect(pred.items).toEqual(data);
  });

  it('OfflineLM reads escaped demos and answers escaped, so a learned value survives', async () => {
    const lm = new OfflineLM();
    const qa = new Predict('question -> answer', { lm, adapter: new XMLAdapter({ fallback: false }) });
    qa.demos = [{ question: 'Which operator compares?', answer: 'a < b && b </answer> c' }];
    const pred = await qa.forward({ question: 'Which operator compares?' });
    expect(pred.answer).toBe('a < b && b </answer> c');
  });
});
