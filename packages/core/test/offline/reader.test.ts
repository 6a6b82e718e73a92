import { describe, expect, it } from 'vitest';
import { ChainOfThought, ChatAdapter, JSONAdapter, Predict, withSettings } from '../../src/index.js';
import { OfflineLM } from '../../src/offline/index.js';
import { candidateSpans, rankSentences, spanText, spanType } from '../../src/offline/reader/spans.js';
import { passagesOf, questionClass, sentencesOf, tokenize } from '../../src/offline/reader/text.js';

const TESLA = [
  'Nikola Tesla was born in the village of Smiljan. His father was an Orthodox priest.',
  'Tesla moved to New York City in 1884 to work for Thomas Edison. He later founded his own laboratory.',
];
const NORMANS = [
  'The Normans gave their name to Normandy, a region in France. Their leader Rollo swore fealty to King Charles III.',
  'The duchy of Normandy was founded in 911 after the treaty of Saint-Clair-sur-Epte.',
];
const APOLLO = [
  'The Apollo program ran from 1961 to 1972. The first person to walk on the Moon was Neil Armstrong, in 1969.',
  'Apollo 11 carried three astronauts to the Moon.',
];

/** Demos placed in their context: a year for `when`, a name for `who`, a number for `how many`. */
const DEMOS = [
  { context: NORMANS, question: 'When was the duchy of Normandy founded?', answer: '911' },
  { context: NORMANS, question: 'Who swore fealty to King Charles III?', answer: 'Rollo' },
  { context: APOLLO, question: 'How many astronauts did Apollo 11 carry?', answer: 'three' },
  { context: APOLLO, question: 'When did the first person walk on the Moon?', answer: '1969' },
  { context: APOLLO, question: 'Who was the first person to walk on the Moon?', answer: 'Neil Armstrong' },
];

describe('OfflineLM reads an answer span out of the context', () => {
  it('zero-shot, answers the sentence that shares the most rare words with the question', async () => {
    const qa = new ChainOfThought('context: string[], question: string -> answer: string', {
      lm: new OfflineLM(),
    });
    const pred = await qa.forward({ context: TESLA, question: 'When did Tesla move to New York City?' });
    expect(pred.answer).toBe('Tesla moved to New York City in 1884 to work for Thomas Edison.');
    expect(pred.reasoning).toContain('No example shows what an answer looks like');
  });

  for (const adapter of [new ChatAdapter({ fallback: false }), new JSONAdapter()]) {
    it(`${adapter.name}: with demos, extracts the span their answers resemble (a year for when, a name for who)`, async () => {
      const qa = new ChainOfThought('context: string[], question: string -> answer: string', {
        lm: new OfflineLM(),
        adapter,
        demos: DEMOS,
      });
      const when = await qa.forward({ context: TESLA, question: 'When did Tesla move to New York City?' });
      expect(when.answer).toBe('1884');
      expect(when.reasoning).toContain('"when"');
      const who = await qa.forward({ context: TESLA, question: 'Who did Tesla work for in New York City?' });
      expect(who.answer).toBe('Thomas Edison');
    });
  }

  it('demos without a context still teach the kind of answer (type and length)', async () => {
    const qa = new Predict('context: string[], question: string -> answer: string', {
      lm: new OfflineLM(),
      demos: [
        { question: 'How many moons does Mars have?', answer: 'two' },
        { question: 'How many legs does a spider have?', answer: 'eight' },
      ],
    });
    const pred = await qa.forward({
      context: APOLLO,
      question: 'How many astronauts went to the Moon on Apollo 11?',
    });
    expect(pred.answer).toBe('three');
  });

  it('reads a context given as one string, and as numbered passages', async () => {
    for (const context of [TESLA.join('\n\n'), TESLA.map((p, i) => `[${i + 1}] «${p}»`).join('\n')]) {
      const qa = new Predict('context: string, question: string -> answer: string', {
        lm: new OfflineLM(),
        demos: DEMOS.map((d) => ({ ...d, context: d.context.join('\n\n') })),
      });
      const pred = await qa.forward({ context, question: 'When did Tesla move to New York City?' });
      expect(pred.answer).toBe('1884');
    }
  });

  it('a yes-no question gets the majority answer of yes-no demos', async () => {
    const qa = new Predict('context: string[], question: string -> answer: string', {
      lm: new OfflineLM(),
      demos: [
        { context: NORMANS, question: 'Is Normandy a region in France?', answer: 'yes' },
        { context: APOLLO, question: 'Did Apollo 11 carry astronauts?', answer: 'yes' },
        { context: APOLLO, question: 'Was the Apollo program run by Edison?', answer: 'no' },
      ],
    });
    expect((await qa.forward({ context: TESLA, question: 'Was Tesla born in Smiljan?' })).answer).toBe('yes');
  });

  it('long demo answers are no span to read: the nearest demo is imitated as before', async () => {
    const long = 'The duchy was founded after a treaty between the Norse leader and the king of the Franks.';
    const qa = new Predict('context: string[], question: string -> summary: string', {
      lm: new OfflineLM(),
      demos: [{ context: NORMANS, question: 'Summarise the founding of Normandy.', summary: long }],
    });
    const pred = await qa.forward({ context: TESLA, question: 'Summarise the founding of Normandy.' });
    expect(pred.summary).toBe(long);
  });

  it('is deterministic: the same prompt gets the same span', async () => {
    const make = () =>
      new Predict('context: string[], question: string -> answer: string', {
        lm: new OfflineLM(),
        demos: DEMOS,
      });
    const q = { context: TESLA, question: 'In what year did Tesla move to New York City?' };
    const [a, b] = [await make().forward(q), await make().forward(q)];
    expect(a.answer).toBe(b.answer);
    expect(a.answer).toBe('1884');
  });
});

describe('OfflineLM writes search queries the way its demos do', () => {
  it('zero-shot, the query is the question without question words and stopwords', async () => {
    const gen = new Predict('question: string -> query: string', { lm: new OfflineLM() });
    const pred = await gen.forward({ question: 'When did Tesla move to New York City?' });
    expect(pred.query).toBe('Tesla move New York City');
  });

  it('keeps the kinds of words its demos keep', async () => {
    const gen = new Predict('question: string -> query: string', {
      lm: new OfflineLM(),
      demos: [
        { question: 'Who founded the duchy of Normandy?', query: 'Who founded the duchy of Normandy' },
        { question: 'When did Apollo 11 land?', query: 'When did Apollo 11 land' },
      ],
    });
    const pred = await gen.forward({ question: 'When did Tesla move to New York City?' });
    expect(pred.query).toBe('When did Tesla move to New York City');
  });

  it('adds as many words of the passages as its demos added: the bridge entity of the best sentence', async () => {
    const gen = new Predict('context: string[], question: string -> query: string', {
      lm: new OfflineLM(),
      demos: [
        {
          context: ['Rollo led the Normans. Rollo was born in Scandinavia.'],
          question: 'Where was the leader of the Normans born?',
          query: 'leader Normans born Rollo',
        },
      ],
    });
    const pred = await gen.forward({
      context: ['The first man on the Moon was Armstrong. The weather was fine.'],
      question: 'Where was the first man on the Moon born?',
    });
    expect(pred.query).toBe('first man Moon born Armstrong');
  });

  it('sampled runs (rollout id, temperature > 0) vary the query; each is reproducible', async () => {
    const gen = new Predict('context: string[], question: string -> query: string', { lm: new OfflineLM() });
    const question = 'Who did Tesla work for in New York City?';
    const queries = new Set<string>();
    for (let rolloutId = 1; rolloutId <= 8; rolloutId++) {
      const run = () =>
        withSettings({ lmRequest: { rolloutId, temperature: 1 } }, () =>
          gen.forward({ context: TESLA, question }),
        );
      const [a, b] = [await run(), await run()];
      expect(a.query).toBe(b.query);
      queries.add(String(a.query));
    }
    expect(queries.size).toBeGreaterThan(1);
  });
});

describe('reader internals', () => {
  it('splits passages from JSON arrays, numbered blocks and blank lines', () => {
    expect(passagesOf('["a b.", {"text": "c d."}]')).toEqual(['a b.', 'c d.']);
    expect(passagesOf('[1] «one.»\n[2] «two.»')).toEqual(['one.', 'two.']);
    expect(passagesOf('one.\n\ntwo.')).toEqual(['one.', 'two.']);
  });

  it('classes questions by what they ask', () => {
    expect(questionClass('In what year did it end?')).toBe('when');
    expect(questionClass('How many people live there?')).toBe('how-many');
    expect(questionClass('Whose idea was it?')).toBe('who');
    expect(questionClass('Is it red?')).toBe('yes-no');
    expect(questionClass('What is the capital?')).toBe('what');
  });

  it('types spans and never offers a span made of question words only', () => {
    expect(spanType(tokenize('1884'))).toBe('year');
    expect(spanType(tokenize('March 3, 1901'))).toBe('date');
    expect(spanType(tokenize('Thomas Edison'))).toBe('name');
    expect(spanType(tokenize('three astronauts'))).toBe('number');
    const sentences = sentencesOf(['Tesla moved to New York in 1884.']);
    const ranking = rankSentences(sentences, tokenize('When did Tesla move to New York?'));
    const spans = candidateSpans(sentences[0]!, 3, ranking.questionStems).map(spanText);
    expect(spans).toContain('1884');
    expect(spans).not.toContain('Tesla');
    expect(spans).not.toContain('New York');
  });
});

describe('what the reader leaves alone', () => {
  it('a string[] input of another name is no context for an output that is no answer', async () => {
    const tag = new Predict('tags: string[], text: string -> title: string', { lm: new OfflineLM() });
    const pred = await tag.forward({
      tags: ['Rollo swore fealty.', 'Normandy.'],
      text: 'A history of the Normans',
    });
    expect(pred.title).toBe('rollo swore fealty normandy');
    const qa = new Predict('snippets2: string[], question: string -> answer: string', {
      lm: new OfflineLM(),
    });
    const read = await qa.forward({ snippets2: TESLA, question: 'When did Tesla move to New York City?' });
    expect(read.answer).toBe('Tesla moved to New York City in 1884 to work for Thomas Edison.');
  });
});
