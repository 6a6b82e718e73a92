import { Module, Predict } from '../../../packages/core/src/index.js';

/** The benchmark's program: one `question -> answer` call per example. */
export class BenchQA extends Module {
  answer = new Predict('question -> answer');
  override forward(inputs: { question: string }) {
    return this.answer.forward(inputs);
  }
}
