import { Example, Predict } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { validateNumber } from '../../src/core/validate.js';
import { COPRO, SIMBA } from '../../src/index.js';

describe('validateNumber', () => {
  it('accepts numbers within the bound and undefined', () => {
    expect(() => validateNumber('X', 't', undefined, { min: 0, default: 1 })).not.toThrow();
    expect(() => validateNumber('X', 't', 0, { min: 0, default: 1 })).not.toThrow();
  });

  it('rejects NaN, out-of-range values and an exclusive bound, naming the option and its default', () => {
    expect(() => validateNumber('X', 't', Number.NaN, { min: 0, default: 1 })).toThrow(/X: t is NaN/);
    expect(() => validateNumber('X', 't', -1, { min: 0, default: 1 })).toThrow(/≥ 0 \(default 1\)/);
    expect(() => validateNumber('X', 't', 0, { min: 0, exclusive: true, default: 0.2 })).toThrow(/> 0/);
  });

  it('guards COPRO.initTemperature and SIMBA.temperatureForSampling', async () => {
    const program = new Predict('question -> answer');
    const trainset = [new Example({ question: 'q', answer: 'a' }).withInputs('question')];
    const metric = () => 1;
    await expect(new COPRO({ metric, initTemperature: -1 }).compile(program, { trainset })).rejects.toThrow(
      /initTemperature is -1/,
    );
    await expect(
      new SIMBA({ metric, temperatureForSampling: 0 }).compile(program, { trainset }),
    ).rejects.toThrow(/temperatureForSampling is 0/);
  });
});
