import { describe, expect, it } from 'vitest';
import { ChatAdapter, createChatStreamParser, type FieldDelta } from '../../src/adapters/index.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { qa, rich, richCompletion, str } from './helpers.js';

const multi = new SignatureSpec({
  name: 'Multi',
  instructions: 'x',
  inputs: [str('q')],
  outputs: [str('reasoning'), str('answer')],
});

function joined(deltas: FieldDelta[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of deltas) out[d.field] = (out[d.field] ?? '') + d.delta;
  return out;
}

function streamIn(spec: SignatureSpec<object, object>, chunks: string[]): FieldDelta[] {
  const parser = createChatStreamParser(spec);
  const deltas: FieldDelta[] = [];
  for (const c of chunks) deltas.push(...parser.push(c));
  deltas.push(...parser.end());
  return deltas;
}

const completions = [
  '[[ ## reasoning ## ]]\nParis is the capital.\n  It is in France.  \n\n[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]\n',
  'Preamble text\n[[ ## answer ## ]] Paris [[ ## x ## ]]\n[[ ## reasoning ## ]]\nbecause\n[[ ## answer ## ]]\nrepeat ignored',
  '[[ ## reasoning ## ]]\n[[ ## partial marker\n[[ ## answer ## ]]\n\n\n  spaced\n\n  out \n',
  '  [[ ## answer ## ]]\r\nA\r\n[[ ## unknown ## ]]\r\nB\r\n[[ ## reasoning ## ]]\r\nC [[ ## answer ## ]] D',
  '[[ ## answer ## ]]\n[[',
];

describe('ChatStreamParser', () => {
  it.each(completions.map((c, i) => [i, c]))(
    'completion %i: every split into two and three chunks gives what parse reads',
    (_i, text) => {
      const expected = new ChatAdapter({ fallback: false }).parse(
        new SignatureSpec({
          name: 'Loose',
          instructions: 'x',
          inputs: [str('q')],
          outputs: [
            { ...str('reasoning'), optional: true },
            { ...str('answer'), optional: true },
          ],
        }),
        text,
      );
      const whole = joined(streamIn(multi, [text]));
      expect(whole).toEqual(expected);
      for (let i = 0; i <= text.length; i++) {
        expect(joined(streamIn(multi, [text.slice(0, i), text.slice(i)]))).toEqual(expected);
        const j = Math.min(text.length, i + 3);
        expect(joined(streamIn(multi, [text.slice(0, i), text.slice(i, j), text.slice(j)]))).toEqual(
          expected,
        );
      }
    },
  );

  it('character by character yields the same fields as parse (rich completion)', () => {
    const deltas = streamIn(rich, [...richCompletion]);
    expect(joined(deltas)).toEqual({
      summary: 'A refund request.',
      confidence: '0.9',
      priority: '2',
      urgent: 'true',
      sentiment: 'negative',
      entities: '[{"name":"ACME"}]',
    });
  });

  it('emits deltas as soon as they are unambiguous and holds back a partial marker', () => {
    const parser = createChatStreamParser(qa);
    expect(parser.push('[[ ## ans')).toEqual([]);
    expect(parser.push('wer ## ]]\nPar')).toEqual([{ field: 'answer', delta: 'Par' }]);
    expect(parser.push('is  ')).toEqual([{ field: 'answer', delta: 'is' }]);
    expect(parser.push('\n[[ ## ')).toEqual([]);
    expect(parser.push('not a marker')).toEqual([{ field: 'answer', delta: '  \n[[ ## not a marker' }]);
    expect(parser.push('\n[[ ## completed ## ]]\nafter')).toEqual([]);
    expect(parser.end()).toEqual([]);
    expect(parser.values()).toEqual({ answer: 'Paris  \n[[ ## not a marker' });
  });

  it('yields nothing for text before the first marker', () => {
    expect(streamIn(qa, ['just prose, ', 'no markers\n'])).toEqual([]);
  });
});
