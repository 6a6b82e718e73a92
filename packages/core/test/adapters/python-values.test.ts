import { ChatAdapter, JSONAdapter, signature } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

const chat = new ChatAdapter({ fallback: false });
const json = new JSONAdapter();
const sentiment = signature("text: string -> label: 'positive' | 'negative' | 'neutral'");
const amount = signature('text: string -> total: number, count: integer');

const chatLabel = (text: string) =>
  chat.parse(sentiment, `[[ ## label ## ]]\n${text}\n\n[[ ## completed ## ]]`).label;

describe('parsing values written the Python way', () => {
  it("reads a literal wrapped in Literal['...'] or str['...']", () => {
    expect(chatLabel("Literal['positive']")).toBe('positive');
    expect(chatLabel('Literal["negative"]')).toBe('negative');
    expect(chatLabel("str['neutral']")).toBe('neutral');
    expect(chatLabel("`Literal['neutral']`")).toBe('neutral');
    expect(json.parse(sentiment, `{"label": "Literal['negative']"}`).label).toBe('negative');
  });

  it('still rejects a wrapped value that is not one of the options', () => {
    expect(() => chatLabel("Literal['angry']")).toThrow(/label/);
  });

  it('reads numbers with underscores between digits', () => {
    const out = chat.parse(
      amount,
      '[[ ## total ## ]]\n123_456.789\n\n[[ ## count ## ]]\n1_000\n\n[[ ## completed ## ]]',
    );
    expect(out).toEqual({ total: 123456.789, count: 1000 });
    expect(json.parse(amount, '{"total": "-1_5.5", "count": "2_0"}')).toEqual({ total: -15.5, count: 20 });
  });

  it('rejects underscores that are not between digits', () => {
    expect(() =>
      chat.parse(amount, '[[ ## total ## ]]\n_12\n\n[[ ## count ## ]]\n1__0\n\n[[ ## completed ## ]]'),
    ).toThrow(/total/);
  });
});
