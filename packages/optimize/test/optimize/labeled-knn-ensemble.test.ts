import { configure, Embedder, Predict, Prediction, silentLogger } from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Ensemble, KNNFewShot, LabeledFewShot, TfidfVectorizer } from '../../src/index.js';
import { compiledArtifact, programState } from '../../src/internal.js';
import { demosOf, examples, lastInput, numbered, simpleProgram } from './helpers.js';

afterEach(() => resetSettings());

describe('LabeledFewShot', () => {
  it('samples k demos with the seed, or takes the first k', async () => {
    const trainset = numbered(10);
    const a = await new LabeledFewShot({ k: 4, seed: 1 }).compile(simpleProgram(), { trainset });
    const b = await new LabeledFewShot({ k: 4, seed: 1 }).compile(simpleProgram(), { trainset });
    expect(demosOf(a.program)).toHaveLength(4);
    expect(demosOf(a.program)).toEqual(demosOf(b.program));
    const first = await new LabeledFewShot({ k: 3, sample: false }).compile(simpleProgram(), { trainset });
    expect(demosOf(first.program)).toEqual([
      { input: 'q0', output: 'ans:q0' },
      { input: 'q1', output: 'ans:q1' },
      { input: 'q2', output: 'ans:q2' },
    ]);
  });

  it('defaults to k = 16, capped at the trainset size, with no LM call', async () => {
    const lm = new ScriptedLM([]);
    configure({ lm, logger: silentLogger });
    const { program, report } = await new LabeledFewShot().compile(simpleProgram(), {
      trainset: numbered(5),
    });
    expect(demosOf(program)).toHaveLength(5);
    expect(lm.requests).toHaveLength(0);
    expect(report.total.lmCalls).toBe(0);
  });
});

describe('TfidfVectorizer', () => {
  it('ranks lexically similar texts highest', () => {
    const v = new TfidfVectorizer();
    v.fit(['my card has not arrived', 'what is the exchange rate', 'refund my purchase']);
    const [q = [], ...docs] = v.embed([
      'when will my card arrive arrived',
      'my card has not arrived',
      'what is the exchange rate',
    ]);
    const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(dot(q, docs[0] ?? [])).toBeGreaterThan(dot(q, docs[1] ?? []));
  });
});

describe('KNNFewShot', () => {
  it('gives each call the k nearest train examples as demos', async () => {
    const lm = new ScriptedLM((req) => ({
      output: `saw ${(req.messages.length - 2) / 2} demos for ${lastInput(req.messages)}`,
    }));
    configure({ lm, logger: silentLogger });
    const trainset = examples([
      ['card not arrived yet', 'card_arrival'],
      ['exchange rate for euros', 'exchange_rate'],
      ['my card still has not arrived', 'card_arrival'],
      ['refund a purchase please', 'request_refund'],
    ]);
    const student = simpleProgram();
    const { program } = await new KNNFewShot({ k: 2 }).compile(student, { trainset });
    const pred = await program.forward({ input: 'has my card arrived' });
    expect(pred.get('output')).toBe('saw 2 demos for has my card arrived');
    const demoText =
      lm.requests[0]?.messages
        .slice(1, -1)
        .map((m) => m.content)
        .join('\n') ?? '';
    expect(demoText).toContain('card not arrived yet');
    expect(demoText).toContain('my card still has not arrived');
    expect(demoText).not.toContain('exchange');
    expect(student.demos).toHaveLength(0);
    expect(Object.values(programState(program))[0]?.demos).toHaveLength(0);
  });

  it('with an embedder, picks the neighbours by embedding similarity (words TF-IDF cannot relate)', async () => {
    const lm = new ScriptedLM(() => ({ output: 'ok' }));
    configure({ lm, logger: silentLogger });
    // A toy embedding by topic: post and delivery words are near "card arrived", none shared.
    const topics = [/card|arriv|mail|post|deliver/, /exchange|rate|euro|currency/, /refund|purchase|money/];
    const embedded: string[][] = [];
    const embedder = new Embedder((texts) => {
      embedded.push(texts);
      return texts.map((t) => topics.map((re) => (re.test(t) ? 1 : 0.01)));
    });
    const trainset = examples([
      ['exchange rate for euros', 'exchange_rate'],
      ['refund a purchase please', 'request_refund'],
      ['card not arrived yet', 'card_arrival'],
    ]);
    const demosFor = async (options: ConstructorParameters<typeof KNNFewShot>[0]) => {
      const { program } = await new KNNFewShot(options).compile(simpleProgram(), { trainset });
      const before = lm.requests.length;
      await program.forward({ input: 'is the mail delivery late' });
      return (
        lm.requests[before]?.messages
          .slice(1, -1)
          .map((m) => m.content)
          .join('\n') ?? ''
      );
    };
    const byMeaning = await demosFor({ k: 1, embedder });
    expect(byMeaning).toContain('card not arrived yet');
    expect(byMeaning).not.toContain('exchange');
    expect(embedded[0]).toEqual([
      'input: exchange rate for euros',
      'input: refund a purchase please',
      'input: card not arrived yet',
    ]);
    // TF-IDF sees no shared word and keeps train order: the first example.
    expect(await demosFor({ k: 1 })).toContain('exchange rate for euros');
  });

  it('refuses an embedder and a vectorizer together', async () => {
    const embedder = new Embedder((texts) => texts.map(() => [1]));
    await expect(
      new KNNFewShot({ k: 1, embedder, vectorizer: new TfidfVectorizer() }).compile(simpleProgram(), {
        trainset: numbered(2),
      }),
    ).rejects.toThrow(/both embedder and vectorizer are given/);
  });
});

describe('Ensemble', () => {
  it('reduces the predictions of every program with majority by default', async () => {
    const mk = (answer: string) => {
      const p = new Predict('input -> output');
      p.lm = new ScriptedLM(() => ({ output: answer }));
      return p;
    };
    const { program } = new Ensemble().compile([mk('a'), mk('b'), mk('a')]);
    expect((await program.forward({ input: 'x' })).get('output')).toBe('a');
    const artifact = compiledArtifact(program);
    expect(Object.keys(artifact.predictors)).toHaveLength(3);
    expect(artifact.provenance?.optimizer).toMatchObject({ name: 'Ensemble' });
  });

  it('uses a seeded sample of `size` programs and a custom reduceFn', async () => {
    const programs = ['a', 'b', 'c', 'd'].map((answer) => {
      const p = new Predict('input -> output');
      p.lm = new ScriptedLM(() => ({ output: answer }));
      return p;
    });
    const join = (preds: readonly Prediction[]) =>
      new Prediction({ output: preds.map((p) => String(p.get('output'))).join('') });
    const one = new Ensemble({ size: 2, seed: 5, reduceFn: join }).compile(programs);
    const two = new Ensemble({ size: 2, seed: 5, reduceFn: join }).compile(programs);
    const out = String((await one.program.forward({ input: 'x' })).get('output'));
    expect(out).toHaveLength(2);
    expect((await two.program.forward({ input: 'x' })).get('output')).toBe(out);
    expect(one.report.candidates).toHaveLength(2);
  });
});
