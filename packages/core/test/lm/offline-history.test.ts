import { describe, expect, it } from 'vitest';
import { ChatAdapter, History, JSONAdapter, Predict, XMLAdapter } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';

const history = new History([
  { question: 'What is the capital of France?', answer: 'Paris' },
  { question: 'Is it far from the sea?' },
  { question: 'What is the capital of Japan?', answer: 'Tokyo' },
]);

describe('OfflineLM with History turns in the prompt', () => {
  for (const adapter of [
    new ChatAdapter({ fallback: false }),
    new JSONAdapter(),
    new XMLAdapter({ fallback: false }),
  ]) {
    it(`${adapter.name}: learns from answered turns as examples and skips unanswered ones`, async () => {
      const qa = new Predict('history: History, question -> answer', { lm: new OfflineLM(), adapter });
      const japan = await qa.forward({ history, question: 'Tell me the capital of Japan' });
      expect(japan.answer).toBe('Tokyo');
      const france = await qa.forward({ history, question: 'the capital of France, please' });
      expect(france.answer).toBe('Paris');
    });
  }
});
