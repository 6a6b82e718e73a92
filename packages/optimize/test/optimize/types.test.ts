import { Example, Predict } from '@dspy-ts/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  BootstrapFewShot,
  BootstrapRS,
  type CompileReport,
  Ensemble,
  type EnsembleProgram,
  KNNFewShot,
  type KNNProgram,
  LabeledFewShot,
} from '../../src/index.js';

describe('compile keeps the program type', () => {
  it('returns the student’s own class and a report', () => {
    const qa = new Predict('question: string -> answer: string');
    const trainset = [new Example({ question: 'q', answer: 'a' }).withInputs('question')];
    const metric = () => true;
    type Out = Awaited<ReturnType<typeof compileAll>>;
    async function compileAll() {
      return {
        labeled: await new LabeledFewShot().compile(qa, { trainset }),
        boot: await new BootstrapFewShot({ metric }).compile(qa, { trainset }),
        rs: await new BootstrapRS({ metric }).compile(qa, { trainset }),
        knn: await new KNNFewShot({ k: 1 }).compile(qa, { trainset }),
        ens: new Ensemble().compile([qa, qa]),
      };
    }
    expectTypeOf<Out['labeled']['program']>().toEqualTypeOf<typeof qa>();
    expectTypeOf<Out['boot']['program']>().toEqualTypeOf<typeof qa>();
    expectTypeOf<Out['rs']['report']>().toEqualTypeOf<CompileReport>();
    expectTypeOf<Out['knn']['program']>().toEqualTypeOf<KNNProgram<typeof qa>>();
    expectTypeOf<Out['ens']['program']>().toEqualTypeOf<EnsembleProgram<typeof qa>>();
  });
});
